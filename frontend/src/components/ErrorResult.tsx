import { Button, Result, Typography } from 'antd';
import type { ResultStatusType } from 'antd/es/result';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { isApiError } from '../api/problem';
import { describeError } from '../lib/errors';

function resultStatus(error: unknown): ResultStatusType {
  if (!isApiError(error)) return 'error';
  if (error.kind === 'network') return 'warning';
  if (error.status === 403) return '403';
  if (error.status === 404) return '404';
  if (error.status >= 500) return '500';
  return 'error';
}

interface ErrorResultProps {
  error: unknown;
  onRetry?: () => void;
}

/** A full explanation of a failed load: what happened, the request id to quote, and a way forward. */
export function ErrorResult({ error, onRetry }: ErrorResultProps) {
  const { t } = useTranslation();
  const { title, detail, requestId } = describeError(t, error);
  const unauthorized = isApiError(error) && error.status === 401;
  const extra = [
    onRetry && !unauthorized && (
      <Button key="retry" type="primary" onClick={onRetry}>
        {t('common.retry')}
      </Button>
    ),
    unauthorized ? (
      <Link key="login" to="/login">
        <Button type="primary">{t('errors.toLogin')}</Button>
      </Link>
    ) : (
      <Link key="home" to="/">
        <Button>{t('errors.backHome')}</Button>
      </Link>
    ),
  ];
  return (
    <Result
      status={resultStatus(error)}
      title={title}
      subTitle={
        <>
          {detail && <div>{detail}</div>}
          {requestId && <Typography.Text type="secondary">{t('errors.requestId', { id: requestId })}</Typography.Text>}
        </>
      }
      extra={extra}
    />
  );
}

/** The page shown for an address the SPA does not know. */
export function NotFoundResult() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('errors.notFound')}
      subTitle={t('errors.notFoundDetail')}
      extra={
        <Link to="/">
          <Button type="primary">{t('errors.backHome')}</Button>
        </Link>
      }
    />
  );
}

/** The page shown when the user's role may not open a page. */
export function ForbiddenResult() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t('errors.forbidden')}
      subTitle={t('errors.forbiddenDetail')}
      extra={
        <Link to="/">
          <Button type="primary">{t('errors.backHome')}</Button>
        </Link>
      }
    />
  );
}
