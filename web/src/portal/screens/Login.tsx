// Login in two steps: ID number and password, then the one-time code sent by SMS. In the demo the
// simulated SMS gateway's code is shown on screen (the API returns it only with the simulator).
import { useCallback, useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { saveSession } from '../../lib/session.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { Screen } from './Screen.tsx';

interface Challenge {
  challengeId: string;
  maskedPhone: string;
  expiresAt: string;
  simulatedCode?: string;
}

interface Session {
  token: string;
  expiresAt: string;
  actor: Record<string, unknown>;
  displayName: string;
}

export default function Login() {
  const { t } = useLang();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { idNumber?: string; from?: string };
  const [challenge, setChallenge] = useState<Challenge>();

  const start = useSubmit(
    useCallback(
      (v: { idNumber: string; password: string }) =>
        api<Challenge>('POST', '/auth/depositor/login', {
          body: { idNumber: v.idNumber.trim().toUpperCase(), password: v.password },
        }),
      [],
    ),
  );
  const verify = useSubmit(
    useCallback(
      (v: { code: string }) =>
        api<Session>('POST', '/auth/depositor/verify', {
          body: { challengeId: challenge?.challengeId, code: v.code.trim() },
        }),
      [challenge],
    ),
  );

  return (
    <Screen title={t('缴存人登录', 'Depositor login')} back={false}>
      <Card>
        {!challenge ? (
          <Form
            layout="vertical"
            initialValues={{ idNumber: state.idNumber ?? '' }}
            onFinish={async (v: { idNumber: string; password: string }) => {
              const c = await start.submit(v);
              if (c) setChallenge(c);
            }}
          >
            <Form.Item
              name="idNumber"
              label={t('证件号码', 'ID number')}
              rules={[
                { required: true, whitespace: true, message: t('请输入证件号码', 'Enter your ID number') },
              ]}
            >
              <Input autoComplete="username" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('密码', 'Password')}
              rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <ErrorAlert error={start.error} />
            <Button type="primary" htmlType="submit" block loading={start.sending}>
              {t('下一步：获取验证码', 'Next: get a code')}
            </Button>
          </Form>
        ) : (
          <Form
            layout="vertical"
            onFinish={async (v: { code: string }) => {
              const s = await verify.submit(v);
              if (!s) return;
              saveSession('depositor', {
                token: s.token,
                expiresAt: s.expiresAt,
                user: { ...s.actor, displayName: s.displayName },
              });
              navigate(state.from && state.from !== '/portal/login' ? state.from : '/portal', {
                replace: true,
              });
            }}
          >
            <Typography.Paragraph>
              {t(
                `验证码已发送至 ${challenge.maskedPhone}，5 分钟内有效。`,
                `A code was sent to ${challenge.maskedPhone}; it is valid for 5 minutes.`,
              )}
            </Typography.Paragraph>
            {challenge.simulatedCode && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('演示环境：模拟短信', 'Demo: simulated SMS')}
                description={
                  <span>
                    {t('验证码', 'Code')}:{' '}
                    <strong data-testid="simulated-code">{challenge.simulatedCode}</strong>
                  </span>
                }
              />
            )}
            <Form.Item
              name="code"
              label={t('短信验证码', 'SMS code')}
              rules={[
                {
                  required: true,
                  pattern: /^\d{6}$/,
                  message: t('验证码为 6 位数字', 'The code has 6 digits'),
                },
              ]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
            <ErrorAlert error={verify.error} />
            <Button type="primary" htmlType="submit" block loading={verify.sending}>
              {t('登录', 'Log in')}
            </Button>
            <Button type="link" block onClick={() => setChallenge(undefined)}>
              {t('重新输入账号', 'Start again')}
            </Button>
          </Form>
        )}
      </Card>
      <Typography.Paragraph style={{ marginTop: 16, textAlign: 'center' }}>
        {t('还没有账户？', 'No account yet?')}{' '}
        <Link to="/portal/register">{t('在线登记', 'Register online')}</Link>
      </Typography.Paragraph>
    </Screen>
  );
}
