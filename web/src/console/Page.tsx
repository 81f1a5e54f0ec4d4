// The frame of every console screen: a heading (h1 for screen readers and keyboard users), optional
// actions on the right, then the content.
import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

export function Page({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Flex>
      {children}
    </section>
  );
}
