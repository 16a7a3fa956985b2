import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';

import type { ProgrammeRead } from '../../../../api/types';
import { ErrorResult } from '../../../../components/ErrorResult';
import { formatDateTime } from '../../../../lib/datetime';
import { todayInBeijing } from '../../logic';
import { bulletinsQuery, useCreateBulletin } from '../api';
import { defaultMonth, monthLabel, programmeMonths } from '../logic';
import type { BulletinSummary } from '../types';
import { useFail } from './BulletinActions';
import { BulletinStatusTag } from './BulletinStatusTag';

/** Make a month's draft: the month chosen among the programme's, its figures as of the month's end. */
function CreateBulletin({ programme }: { programme: ProgrammeRead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const fail = useFail();
  const create = useCreateBulletin(programme.id);
  const [open, setOpen] = useState(false);
  const [month, setMonth] = useState(() => defaultMonth(programme, todayInBeijing()));
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="bulletin-create">
        {t('supervision.bulletins.create')}
      </Button>
      <Modal
        open={open}
        title={t('supervision.bulletins.createTitle')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: create.isPending, 'data-testid': 'bulletin-create-ok' }}
        onCancel={() => setOpen(false)}
        onOk={() =>
          void create.mutateAsync(`${month}-01`).then((bulletin) => {
            void message.success(t('supervision.bulletins.created', { month: monthLabel(t, month) }));
            setOpen(false);
            navigate(`/targets/bulletins/${bulletin.id}`);
          }, fail)
        }
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary">{t('supervision.bulletins.createHint')}</Typography.Paragraph>
          <Select<string>
            value={month}
            onChange={setMonth}
            style={{ width: '100%' }}
            aria-label={t('supervision.bulletins.month')}
            options={programmeMonths(programme).map((value) => ({ value, label: monthLabel(t, value) }))}
            data-testid="bulletin-month"
          />
        </Space>
      </Modal>
    </>
  );
}

/** A programme's bulletins, newest first (drafts only to who publishes them), and the month's draft to make. */
export function BulletinsPanel({ programme }: { programme: ProgrammeRead }) {
  const { t } = useTranslation();
  const bulletins = useQuery(bulletinsQuery(programme.id));
  if (bulletins.isError) return <ErrorResult error={bulletins.error} onRetry={() => void bulletins.refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        {programme.may_publish && programme.status !== 'closed' && <CreateBulletin programme={programme} />}
        <Typography.Text type="secondary">{t('supervision.bulletins.draftsHidden')}</Typography.Text>
      </Space>
      <Table<BulletinSummary>
        rowKey="id"
        size="small"
        loading={bulletins.isPending}
        dataSource={bulletins.data}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('supervision.bulletins.empty') }}
        data-testid="bulletins-table"
        columns={[
          {
            key: 'number',
            title: t('supervision.bulletins.number'),
            render: (_, b) => <Link to={`/targets/bulletins/${b.id}`}>{t('supervision.bulletins.numberText', { number: b.number })}</Link>,
          },
          { key: 'month', title: t('supervision.bulletins.month'), render: (_, b) => monthLabel(t, b.month.slice(0, 7)) },
          { key: 'title', title: t('supervision.bulletins.docTitle'), render: (_, b) => <Link to={`/targets/bulletins/${b.id}`}>{b.title}</Link> },
          { key: 'status', title: t('supervision.bulletins.status'), render: (_, b) => <BulletinStatusTag status={b.status} /> },
          { key: 'published', title: t('supervision.bulletins.publishedAt'), render: (_, b) => formatDateTime(b.published_at) || '—' },
        ]}
      />
    </Space>
  );
}
