// Rows of a portal list (a statement line, a period due, a loan application): a title with a line below
// on the left, an amount or a button on the right, hairlines between. The look antd's List had, in plain
// markup: List is deprecated in antd 6. Long lists show a page at a time.
import { useState, type ReactNode } from 'react';
import { Flex, Pagination, Spin, Typography, theme } from 'antd';

export function ItemList<T>({
  items,
  rowKey,
  render,
  empty,
  loading = false,
  pageSize,
}: {
  items: readonly T[];
  rowKey: (item: T) => string;
  render: (item: T) => ReactNode;
  /** Shown when there is nothing (and nothing is loading). */
  empty: ReactNode;
  loading?: boolean;
  /** Rows per page; all at once when unset or when they fit. */
  pageSize?: number;
}) {
  const { token } = theme.useToken();
  const [page, setPage] = useState(1);
  const paged = pageSize !== undefined && items.length > pageSize;
  const lastPage = paged ? Math.ceil(items.length / pageSize) : 1;
  const current = Math.min(page, lastPage);
  const shown = paged ? items.slice((current - 1) * pageSize, current * pageSize) : items;
  return (
    <Spin spinning={loading}>
      {items.length === 0 ? (
        <div style={{ padding: token.padding, textAlign: 'center', color: token.colorTextDescription }}>
          {loading ? null : empty}
        </div>
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {shown.map((item, index) => (
            <li
              key={rowKey(item)}
              style={{
                padding: `${token.paddingSM}px 0`,
                borderBlockEnd: index < shown.length - 1 ? `1px solid ${token.colorSplit}` : undefined,
              }}
            >
              {render(item)}
            </li>
          ))}
        </ul>
      )}
      {paged && (
        <Pagination
          size="small"
          align="end"
          style={{ marginTop: token.marginLG }}
          current={current}
          pageSize={pageSize}
          total={items.length}
          showSizeChanger={false}
          onChange={setPage}
        />
      )}
    </Spin>
  );
}

/** One row: title and description on the left, `extra` (an amount, a button) on the right. */
export function ItemRow({
  title,
  description,
  extra,
}: {
  title: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
}) {
  const { token } = theme.useToken();
  return (
    <Flex justify="space-between" align="center" gap={token.marginSM}>
      <div style={{ flex: 1, minWidth: 0 }}>
        <div style={{ color: token.colorText, marginBottom: description ? token.marginXXS : 0 }}>{title}</div>
        {description && <Typography.Text type="secondary">{description}</Typography.Text>}
      </div>
      {extra && <div style={{ flex: 'none' }}>{extra}</div>}
    </Flex>
  );
}
