import { App, Alert, Button, Card, Descriptions, Form, Input, Popconfirm, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ReportDocumentRead, ReportRead } from '../../../api/types';
import { Markdown } from '../../../components/Markdown';
import { formatDateTime } from '../../../lib/datetime';
import { formErrorText } from '../../../lib/forms';
import { useSubmitReport, useUpdateReport } from '../api';
import { Attachments } from './Attachments';
import { ReportStatusTag } from './ReportStatusTag';
import { WordImport } from './WordImport';

interface Values {
  title: string;
  body: string;
  video_url: string;
}

function Header({ report }: { report: ReportRead }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }}>
      <Descriptions.Item label={t('reports.org')}>{report.org.name}</Descriptions.Item>
      <Descriptions.Item label={t('reports.cycle')}>{report.cycle_name}</Descriptions.Item>
      <Descriptions.Item label={t('common.status')}>
        <ReportStatusTag status={report.status} late={report.late} />
      </Descriptions.Item>
      <Descriptions.Item label={t('reports.dueDate')}>{report.report_due_date ?? t('common.none')}</Descriptions.Item>
      <Descriptions.Item label={t('reports.submittedAt')}>{formatDateTime(report.submitted_at) || t('common.none')}</Descriptions.Item>
    </Descriptions>
  );
}

/** The report as others see it: text, video link, attachments. */
export function ReportView({ report }: { report: ReportRead }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="report-view">
      <Header report={report} />
      <Card title={report.title}>
        {report.body.trim() ? <Markdown source={report.body} /> : <Typography.Text type="secondary">{t('reports.noText')}</Typography.Text>}
      </Card>
      {report.video_url && (
        <Typography.Link href={report.video_url} target="_blank" rel="noopener noreferrer">
          {t('reports.watchVideo')}
        </Typography.Link>
      )}
      <Card size="small" title={t('reports.attachments')}>
        <Attachments reportId={report.id} attachments={report.attachments} editable={false} />
      </Card>
    </Space>
  );
}

interface ReportEditorProps {
  report: ReportRead;
  /** The Word document just imported into this report: the editor opens on its preview and says so. */
  imported?: ReportDocumentRead | null;
  onImported?: (result: ReportDocumentRead) => void;
}

/** The secretary's report page: write in Markdown (with a preview) or import it from Word, attach slides and images, submit. */
export function ReportEditor({ report, imported: importedByPage, onImported }: ReportEditorProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const update = useUpdateReport();
  const submit = useSubmitReport();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const body = Form.useWatch('body', form) ?? report.body;
  const [importedHere, setImportedHere] = useState<ReportDocumentRead | null>(null);
  const imported = importedByPage ?? importedHere;
  const [tab, setTab] = useState(imported ? 'preview' : 'write');

  if (!report.can_edit) {
    return (
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {report.status === 'submitted' && <Alert type="info" showIcon message={t('reports.waitingReview')} />}
        <ReportView report={report} />
      </Space>
    );
  }

  const fail = (error: unknown) => {
    setGeneralError(formErrorText(t, form, error));
  };

  const changes = (values: Values) => ({
    title: values.title.trim(),
    body: values.body,
    video_url: values.video_url.trim() || null,
  });

  const save = (values: Values) => {
    setGeneralError(null);
    update.mutate({ id: report.id, body: changes(values) }, { onSuccess: () => void message.success(t('common.saved')), onError: fail });
  };

  const saveAndSubmit = async () => {
    setGeneralError(null);
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    update.mutate(
      { id: report.id, body: changes(values) },
      {
        onSuccess: () =>
          submit.mutate({ id: report.id }, { onSuccess: () => void message.success(t('reports.submitted')), onError: fail }),
        onError: fail,
      },
    );
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="report-editor">
      <Header report={report} />
      {report.status === 'returned' && report.review_comment && (
        <Alert type="warning" showIcon message={t('reports.returnedWith')} description={report.review_comment} />
      )}
      {generalError && <Alert type="error" showIcon message={generalError} role="alert" />}
      {imported && (
        <Alert
          type="success"
          showIcon
          data-testid="word-imported"
          message={t('reports.word.imported', { name: imported.original.filename })}
          description={imported.images_left_out > 0 ? t('reports.word.imagesLeftOut', { count: imported.images_left_out }) : undefined}
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        name="report-form"
        initialValues={{ title: report.title, body: report.body, video_url: report.video_url ?? '' }}
        onFinish={save}
      >
        <Form.Item name="title" label={t('reports.title')} rules={[{ required: true, whitespace: true, message: t('reports.titleRequired') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <WordImport
          reportId={report.id}
          currentBody={body}
          onImported={(result) => {
            setImportedHere(result);
            setTab('preview');
            form.setFieldsValue({ body: result.report.body });
            onImported?.(result);
          }}
        />
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'write',
              label: t('reports.write'),
              forceRender: true,
              children: (
                <Form.Item name="body" extra={t('reports.markdownHelp')}>
                  <Input.TextArea rows={18} maxLength={100000} aria-label={t('reports.body')} />
                </Form.Item>
              ),
            },
            {
              key: 'preview',
              label: t('reports.preview'),
              children: (
                <Card size="small" style={{ minHeight: 200 }}>
                  {body.trim() ? <Markdown source={body} /> : <Typography.Text type="secondary">{t('reports.noText')}</Typography.Text>}
                </Card>
              ),
            },
          ]}
        />
        <Form.Item
          name="video_url"
          label={t('reports.videoUrl')}
          rules={[{ pattern: /^https?:\/\/\S+$/i, message: t('reports.videoUrlInvalid') }]}
        >
          <Input placeholder="https://" maxLength={500} />
        </Form.Item>
        <Space>
          <Button htmlType="submit" loading={update.isPending && !submit.isPending}>
            {t('common.save')}
          </Button>
          <Popconfirm
            title={t('reports.confirmSubmit')}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            onConfirm={() => void saveAndSubmit()}
          >
            <Button type="primary" loading={submit.isPending} data-testid="submit-report">
              {t('reports.submit')}
            </Button>
          </Popconfirm>
        </Space>
      </Form>
      <Card size="small" title={t('reports.attachments')}>
        <Attachments reportId={report.id} attachments={report.attachments} editable />
      </Card>
    </Space>
  );
}
