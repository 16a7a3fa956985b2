import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import { isApiError } from '../../../api/problem';
import { describeError } from '../../../lib/errors';
import { useLogin, type Credentials } from '../api';

/** The login failure a person should read: known statuses in their own words, the rest described generically. */
export function loginErrorMessage(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 401) return t('auth.badCredentials');
    if (error.status === 429) {
      return error.retryAfter !== null
        ? t('auth.tooManyAttemptsRetry', { seconds: error.retryAfter })
        : t('auth.tooManyAttempts');
    }
  }
  const { title, detail } = describeError(t, error);
  return detail ? `${title}: ${detail}` : title;
}

interface LoginFormProps {
  onLoggedIn: () => void;
}

export function LoginForm({ onLoggedIn }: LoginFormProps) {
  const { t } = useTranslation();
  const login = useLogin();
  const [form] = Form.useForm<Credentials>();

  const submit = (values: Credentials) => {
    login.mutate({ username: values.username.trim(), password: values.password }, { onSuccess: onLoggedIn });
  };

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} aria-label={t('auth.title')}>
      {login.isError && (
        <Form.Item>
          <Alert type="error" showIcon message={loginErrorMessage(t, login.error)} role="alert" data-testid="login-error" />
        </Form.Item>
      )}
      <Form.Item
        name="username"
        label={t('auth.username')}
        rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
      </Form.Item>
      <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
          {t('auth.submit')}
        </Button>
      </Form.Item>
    </Form>
  );
}
