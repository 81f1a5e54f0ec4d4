// A depositor's credit grade (信用等级, rules.md §9) with its score and the reasons, as
// GET /depositors/:id/credit-grade answers (src/services/depositors/view-credit-grade.ts): on the
// portal's home for the depositor, on the console's depositor page for staff.
import { Card, Flex, Space, Statistic, Tag, Typography } from 'antd';
import { api } from './api.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { useLang } from './i18n.tsx';
import type { Audience } from './session.ts';
import { useApi } from './useApi.ts';

export interface CreditGradeView {
  depositorId: string;
  asOf: string;
  grade: 'A' | 'B' | 'C' | 'D';
  score: number;
  loanCoefficient: string | null;
  reasons: Array<{ code: string; points: number; zh: string; en: string }>;
}

const GRADE_COLORS: Record<CreditGradeView['grade'], string> = {
  A: 'green',
  B: 'blue',
  C: 'orange',
  D: 'red',
};

export function CreditGradeCard({ depositorId, as }: { depositorId: string; as: Audience }) {
  const { t, lang } = useLang();
  const loaded = useApi(
    (signal) => api<CreditGradeView>('GET', `/depositors/${depositorId}/credit-grade`, { as, signal }),
    [depositorId, as],
  );
  const g = loaded.data;
  return (
    <Card
      size="small"
      title={t('信用等级', 'Credit grade')}
      loading={loaded.loading && !g}
      style={{ marginBottom: 12 }}
      data-testid="credit-grade"
    >
      <ErrorAlert error={loaded.error} />
      {g && (
        <>
          <Flex gap={24} wrap align="center" style={{ marginBottom: 8 }}>
            <Tag color={GRADE_COLORS[g.grade]} style={{ fontSize: 20, padding: '4px 12px' }}>
              {g.grade}
            </Tag>
            <Statistic title={t('评分', 'Score')} value={g.score} suffix="/ 100" />
            <Statistic
              title={t('贷款额度信用系数', 'Loan quota credit coefficient')}
              // Coefficients have one decimal (A 1.1, B 1.0, C 0.9): shown as such.
              value={
                g.loanCoefficient === null
                  ? t('不可申请贷款', 'Not eligible for a loan')
                  : `× ${Number(g.loanCoefficient).toFixed(1)}`
              }
            />
          </Flex>
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            {g.reasons.map((r) => (
              <Flex key={r.code} justify="space-between" gap={8}>
                <Typography.Text>{lang === 'zh' ? r.zh : r.en}</Typography.Text>
                <Typography.Text
                  type={r.points < 0 || r.code === 'DEFAULTER' || r.code === 'FRAUD' ? 'danger' : 'secondary'}
                >
                  {r.code === 'DEFAULTER' || r.code === 'FRAUD'
                    ? t('等级为 D', 'grade D')
                    : `${r.points > 0 ? '+' : ''}${r.points} ${t('分', 'pts')}`}
                </Typography.Text>
              </Flex>
            ))}
          </Space>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
            {t(
              `截至 ${g.asOf}。80 分及以上为 A，50 分及以上为 B，其余为 C；列入失信名单或有骗提骗贷记录为 D。按时足额缴存、按期还款可提高等级。`,
              `As of ${g.asOf}. A from 80 points, B from 50, C below; D when on the defaulter list or with fraud on record. Regular deposits and on-time repayments raise the grade.`,
            )}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
