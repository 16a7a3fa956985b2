import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { ErrorResult } from '../components/ErrorResult';
import { FullPageSpinner } from '../components/FullPageSpinner';
import { rubricDetailQuery } from '../features/rubrics/api';
import { RubricEditor } from '../features/rubrics/components/RubricEditor';

export default function RubricPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { rubricId } = useParams();
  const id = rubricId === 'new' ? null : Number(rubricId);
  const rubric = useQuery({ ...rubricDetailQuery(id ?? 0), enabled: id !== null && id > 0 });

  if (id !== null && rubric.isError) return <ErrorResult error={rubric.error} onRetry={() => void rubric.refetch()} />;
  if (id !== null && rubric.isPending) return <FullPageSpinner />;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/rubrics">{t('rubrics.title')}</Link> }, { title: rubric.data?.name ?? t('rubrics.create') }]} />
      <Typography.Title level={3} style={{ margin: 0 }}>
        {rubric.data ? rubric.data.name : t('rubrics.create')} {rubric.data && <Tag>{t('rubrics.versionNumber', { version: rubric.data.version })}</Tag>}
      </Typography.Title>
      <Card>
        <RubricEditor
          key={rubric.data?.id ?? 'new'}
          rubric={rubric.data ?? null}
          onSaved={(saved) => {
            if (saved.id !== id) navigate(`/rubrics/${saved.id}`, { replace: id === null });
          }}
        />
      </Card>
    </Space>
  );
}
