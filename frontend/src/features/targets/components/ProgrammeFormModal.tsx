import { useQuery } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

import type { ProgrammeRead } from '../../../api/types';
import { formErrorText } from '../../../lib/forms';
import { unitsQuery, useCreateProgramme, useUpdateProgramme } from '../api';

interface Values {
  name: string;
  host_org_id: number | null;
  office_org_id: number | null;
  period: [Dayjs, Dayjs] | null;
}

interface ProgrammeFormModalProps {
  /** The programme to change, or null to create one (as a draft). */
  programme: ProgrammeRead | null;
  /** The host picker (a form control), supplied by the page. */
  hostSelect: ReactElement;
  onClose: () => void;
  onSaved?: (programme: ProgrammeRead) => void;
}

/** Create a programme (name, host, period) or change its name and period; the status has its own buttons. */
export function ProgrammeFormModal({ programme, hostSelect, onClose, onSaved }: ProgrammeFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateProgramme();
  const update = useUpdateProgramme();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const chosenHost = Form.useWatch('host_org_id', form) as number | null | undefined;
  const hostId = programme?.host.id ?? chosenHost ?? 0;
  // The office (区商务局) that runs the programme and publishes its bulletins is one of the host's units.
  const offices = useQuery({ ...unitsQuery(hostId), enabled: hostId > 0 });

  const fail = (error: unknown) => {
    setGeneralError(formErrorText(t, form, error));
  };

  const submit = (values: Values) => {
    setGeneralError(null);
    const [start, end] = values.period ?? [];
    const period = { period_start: start?.format('YYYY-MM-DD') ?? '', period_end: end?.format('YYYY-MM-DD') ?? '' };
    const saved = (next: ProgrammeRead) => {
      void message.success(programme ? t('common.saved') : t('common.created'));
      onSaved?.(next);
      onClose();
    };
    const office = { office_org_id: values.office_org_id ?? null };
    if (programme) {
      update.mutate({ id: programme.id, body: { name: values.name.trim(), ...office, ...period } }, { onSuccess: saved, onError: fail });
    } else {
      create.mutate({ name: values.name.trim(), host_org_id: values.host_org_id ?? 0, ...office, ...period }, { onSuccess: saved, onError: fail });
    }
  };

  return (
    <Modal
      open
      title={programme ? t('targets.programmes.edit') : t('targets.programmes.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="programme-form"
        onFinish={submit}
        initialValues={{
          name: programme?.name ?? '',
          host_org_id: programme?.host.id ?? null,
          office_org_id: programme?.office?.id ?? null,
          period: programme ? [dayjs(programme.period_start), dayjs(programme.period_end)] : null,
        }}
      >
        {generalError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={generalError} role="alert" />}
        <Form.Item
          name="name"
          label={t('targets.programmes.name')}
          rules={[{ required: true, whitespace: true, message: t('targets.programmes.nameRequired') }]}
        >
          <Input maxLength={200} placeholder={t('targets.programmes.namePlaceholder')} />
        </Form.Item>
        {programme ? (
          <Form.Item label={t('targets.programmes.host')}>
            <Input disabled value={programme.host.name} aria-label={t('targets.programmes.host')} />
          </Form.Item>
        ) : (
          <Form.Item
            name="host_org_id"
            label={t('targets.programmes.host')}
            rules={[{ required: true, message: t('targets.programmes.hostRequired') }]}
          >
            {hostSelect}
          </Form.Item>
        )}
        <Form.Item name="office_org_id" label={t('targets.programmes.office')} tooltip={t('targets.programmes.officeHint')}>
          <Select<number | null>
            allowClear
            showSearch
            optionFilterProp="label"
            disabled={hostId === 0}
            loading={offices.isFetching}
            placeholder={t('targets.programmes.noOffice')}
            aria-label={t('targets.programmes.office')}
            options={[
              ...(programme?.office && !(offices.data ?? []).some((org) => org.id === programme.office?.id) ? [programme.office] : []),
              ...(offices.data ?? []),
            ].map((org) => ({ value: org.id, label: org.name }))}
          />
        </Form.Item>
        <Form.Item name="period" label={t('targets.programmes.period')} rules={[{ required: true, message: t('targets.programmes.periodRequired') }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} data-testid="programme-period" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
