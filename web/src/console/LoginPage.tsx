// Staff login: user name and password; the server's coded refusal (wrong password, locked) is shown in
// the user's language. After login the user lands where they were going, or on the dashboard.
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useLang } from '../lib/i18n.tsx';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { LangSwitch } from '../lib/LangSwitch.tsx';
import { useStaff } from './staff.tsx';

export default function LoginPage() {
  const { t } = useLang();
  const { user, login } = useStaff();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  if (user) return <Navigate to={from ?? '/console/dashboard'} replace />;

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(values.username.trim(), values.password);
      navigate(from ?? '/console/dashboard', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <main style={{ width: 380 }}>
        <Card>
          <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
            <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
              {t('安居 · 业务系统', 'Anju · Staff console')}
            </Typography.Title>
            <LangSwitch />
          </Flex>
          <ErrorAlert error={error} />
          <Form layout="vertical" onFinish={submit} requiredMark={false} name="staff-login">
            <Form.Item
              name="username"
              label={t('用户名', 'User name')}
              rules={[
                { required: true, whitespace: true, message: t('请输入用户名', 'Enter your user name') },
              ]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('密码', 'Password')}
              rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('登录', 'Log in')}
            </Button>
          </Form>
        </Card>
      </main>
    </Flex>
  );
}
