import { App, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

import type { ProgrammeRead } from '../../../../api/types';
import { useSaveFinding, useSaveRound } from '../api';
import { SUPERVISION_BODIES, type Finding, type SupervisionBody, type SupervisionRound, type UnitRef } from '../types';
import { useFail } from './BulletinActions';

const day = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);

interface RoundValues {
  body: SupervisionBody;
  title: string;
  started_on: Dayjs;
  ended_on?: Dayjs | null;
  summary?: string;
}

/** Record a supervision round, or change one: who inspected (人大, 政协, 两办督察室), its name, its days and what was seen. */
export function RoundModal({ programme, round, onClose }: { programme: ProgrammeRead; round: SupervisionRound | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const save = useSaveRound(programme.id);
  const [form] = Form.useForm<RoundValues>();
  const submit = (values: RoundValues) =>
    save
      .mutateAsync({
        id: round?.id ?? null,
        body: {
          body: values.body,
          title: values.title.trim(),
          started_on: day(values.started_on)!,
          ended_on: day(values.ended_on),
          summary: values.summary?.trim() ?? '',
        },
      })
      .then(() => {
        void message.success(t('supervision.rounds.saved'));
        onClose();
      }, fail);
  return (
    <Modal
      open
      title={round ? t('supervision.rounds.edit') : t('supervision.rounds.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'round-save' }}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form<RoundValues>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={
          round
            ? { body: round.body, title: round.title, started_on: dayjs(round.started_on), ended_on: round.ended_on ? dayjs(round.ended_on) : null, summary: round.summary }
            : { body: 'congress' }
        }
      >
        <Form.Item name="body" label={t('supervision.rounds.body')} rules={[{ required: true }]}>
          <Select options={SUPERVISION_BODIES.map((body) => ({ value: body, label: t(`supervision.bodies.${body}`) }))} data-testid="round-body" />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('supervision.rounds.roundTitle')}
          rules={[{ required: true, whitespace: true, message: t('supervision.rounds.required', { field: t('supervision.rounds.roundTitle') }) }]}
        >
          <Input maxLength={200} placeholder={t('supervision.rounds.titlePlaceholder')} data-testid="round-title" />
        </Form.Item>
        <Form.Item
          name="started_on"
          label={t('supervision.rounds.startedOn')}
          rules={[{ required: true, message: t('supervision.rounds.required', { field: t('supervision.rounds.startedOn') }) }]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="round-start" />
        </Form.Item>
        <Form.Item
          name="ended_on"
          label={t('supervision.rounds.endedOn')}
          dependencies={['started_on']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: Dayjs | null | undefined) => {
                const start = getFieldValue('started_on') as Dayjs | undefined;
                return !value || !start || !value.isBefore(start, 'day') ? Promise.resolve() : Promise.reject(new Error(t('supervision.rounds.endBeforeStart')));
              },
            }),
          ]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="summary" label={t('supervision.rounds.summary')}>
          <Input.TextArea rows={4} maxLength={8000} placeholder={t('supervision.rounds.summaryPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface FindingValues {
  org_id: number;
  visited_on: Dayjs;
  finding: string;
  deadline: Dayjs;
}

/** Record a finding at a unit (it becomes the unit's ledger item, due on the deadline), or change one. */
export function FindingModal({
  programme,
  round,
  finding,
  units,
  onClose,
}: {
  programme: ProgrammeRead;
  round: SupervisionRound;
  finding: Finding | null;
  units: readonly UnitRef[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const save = useSaveFinding(programme.id);
  const [form] = Form.useForm<FindingValues>();
  const submit = (values: FindingValues) =>
    save
      .mutateAsync({
        roundId: round.id,
        id: finding?.id ?? null,
        body: { org_id: values.org_id, visited_on: day(values.visited_on)!, finding: values.finding.trim(), deadline: day(values.deadline)! },
      })
      .then(() => {
        void message.success(t('supervision.rounds.saved'));
        onClose();
      }, fail);
  return (
    <Modal
      open
      title={finding ? t('supervision.findings.edit') : t('supervision.findings.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'finding-save' }}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('supervision.findings.ledgerHint')}</Typography.Paragraph>
      <Form<FindingValues>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={
          finding
            ? { org_id: finding.org.id, visited_on: dayjs(finding.visited_on), finding: finding.finding, deadline: dayjs(finding.deadline) }
            : { visited_on: dayjs(round.started_on) }
        }
      >
        <Form.Item
          name="org_id"
          label={t('supervision.findings.unit')}
          extra={finding ? t('supervision.findings.unitFixed') : undefined}
          rules={[{ required: true, message: t('supervision.rounds.required', { field: t('supervision.findings.unit') }) }]}
        >
          <Select<number>
            disabled={finding !== null}
            showSearch
            optionFilterProp="label"
            options={units.map((unit) => ({ value: unit.id, label: unit.name }))}
            data-testid="finding-unit"
          />
        </Form.Item>
        <Form.Item
          name="visited_on"
          label={t('supervision.findings.visitedOn')}
          rules={[{ required: true, message: t('supervision.rounds.required', { field: t('supervision.findings.visitedOn') }) }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="finding"
          label={t('supervision.findings.finding')}
          rules={[{ required: true, whitespace: true, message: t('supervision.rounds.required', { field: t('supervision.findings.finding') }) }]}
        >
          <Input.TextArea rows={4} maxLength={4000} placeholder={t('supervision.findings.findingPlaceholder')} data-testid="finding-text" />
        </Form.Item>
        <Form.Item
          name="deadline"
          label={t('supervision.findings.deadline')}
          dependencies={['visited_on']}
          rules={[
            { required: true, message: t('supervision.rounds.required', { field: t('supervision.findings.deadline') }) },
            ({ getFieldValue }) => ({
              validator: (_, value: Dayjs | null | undefined) => {
                const visit = getFieldValue('visited_on') as Dayjs | undefined;
                return !value || !visit || !value.isBefore(visit, 'day')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('supervision.findings.deadlineBeforeVisit')));
              },
            }),
          ]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="finding-deadline" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
