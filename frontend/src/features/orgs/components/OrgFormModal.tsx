import { Alert, App, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ORG_KINDS, type OrgKind, type OrgRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { useCreateOrg, useUpdateOrg } from '../api';
import { KindTag } from './KindTag';
import { OrgSelect } from './OrgSelect';

export type OrgFormTarget = { mode: 'create'; parent?: OrgRead | null } | { mode: 'edit'; org: OrgRead };

interface OrgFormValues {
  code: string;
  name: string;
  kind: OrgKind;
  parent_id?: number | null;
  is_active?: boolean;
}

/** The kind a new child of `parent` most likely has. */
function defaultChildKind(parent: OrgRead | null | undefined): OrgKind {
  if (!parent) return 'county';
  if (parent.kind === 'county') return 'township';
  return 'village';
}

interface OrgFormModalProps {
  target: OrgFormTarget;
  onClose: () => void;
  onSaved?: (org: OrgRead) => void;
}

/** Create an organisation or edit one; the server's field errors land on the fields they name. */
export function OrgFormModal({ target, onClose, onSaved }: OrgFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OrgFormValues>();
  const create = useCreateOrg();
  const update = useUpdateOrg();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const editing = target.mode === 'edit' ? target.org : null;

  const initialValues: Partial<OrgFormValues> = editing
    ? { code: editing.code, name: editing.name, kind: editing.kind, parent_id: editing.parent_id, is_active: editing.is_active }
    : {
        code: '',
        name: '',
        kind: defaultChildKind(target.mode === 'create' ? target.parent : null),
        parent_id: target.mode === 'create' ? (target.parent?.id ?? null) : null,
      };

  const fail = (error: unknown) => {
    if (applyProblemToForm(form, error)) {
      setGeneralError(null);
      return;
    }
    const { title, detail } = describeError(t, error);
    setGeneralError(detail ? `${title}: ${detail}` : title);
  };

  const submit = (values: OrgFormValues) => {
    setGeneralError(null);
    const parentId = values.parent_id ?? null;
    if (editing) {
      update.mutate(
        {
          id: editing.id,
          body: { code: values.code.trim(), name: values.name.trim(), parent_id: parentId, is_active: values.is_active },
        },
        {
          onSuccess: (org) => {
            void message.success(t('common.saved'));
            onSaved?.(org);
            onClose();
          },
          onError: fail,
        },
      );
    } else {
      create.mutate(
        { code: values.code.trim(), name: values.name.trim(), kind: values.kind, parent_id: parentId },
        {
          onSuccess: (org) => {
            void message.success(t('common.created'));
            onSaved?.(org);
            onClose();
          },
          onError: fail,
        },
      );
    }
  };

  return (
    <Modal
      open
      title={editing ? t('orgs.edit') : target.mode === 'create' && target.parent ? t('orgs.createChild') : t('orgs.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<OrgFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} name="org-form">
        {generalError && (
          <Form.Item>
            <Alert type="error" showIcon message={generalError} role="alert" />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, whitespace: true, message: t('orgs.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="code" label={t('orgs.code')} rules={[{ required: true, whitespace: true, message: t('orgs.codeRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="kind" label={t('orgs.kind')} rules={[{ required: true, message: t('orgs.kindRequired') }]}>
          <Select<OrgKind>
            disabled={editing !== null}
            options={ORG_KINDS.map((kind) => ({ value: kind, label: <KindTag kind={kind} /> }))}
          />
        </Form.Item>
        <Form.Item name="parent_id" label={t('orgs.parent')}>
          <OrgSelect placeholder={t('orgs.noParent')} />
        </Form.Item>
        {editing && (
          <Form.Item name="is_active" label={t('common.status')} valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
