import { Alert, App, Form, Input, Modal, Select, Switch } from 'antd';
import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

import { ROLES, type Role, type UserRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { applyProblemToForm } from '../../../lib/forms';
import { useCreateUser, useUpdateUser } from '../api';

export const PASSWORD_MIN_LENGTH = 8;

interface UserFormValues {
  username: string;
  full_name: string;
  password?: string;
  role: Role;
  org_id: number | null;
  is_active?: boolean;
}

interface UserFormModalProps {
  /** The user to edit, or null to create one. */
  user: UserRead | null;
  /** An organisation picker (a form control taking value/onChange), supplied by the page. */
  orgSelect: ReactElement;
  onClose: () => void;
}

/** Create or edit a user account; the server's field errors land on the fields they name. */
export function UserFormModal({ user, orgSelect, onClose }: UserFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const [generalError, setGeneralError] = useState<string | null>(null);

  const initialValues: Partial<UserFormValues> = user
    ? { username: user.username, full_name: user.full_name, role: user.role, org_id: user.org_id, is_active: user.is_active, password: '' }
    : { username: '', full_name: '', password: '', role: 'secretary', org_id: null };

  const fail = (error: unknown) => {
    if (applyProblemToForm(form, error)) {
      setGeneralError(null);
      return;
    }
    const { title, detail } = describeError(t, error);
    setGeneralError(detail ? `${title}: ${detail}` : title);
  };

  const done = (text: string) => {
    void message.success(text);
    onClose();
  };

  const submit = (values: UserFormValues) => {
    setGeneralError(null);
    if (values.org_id === null) return;
    if (user) {
      update.mutate(
        {
          id: user.id,
          body: {
            full_name: values.full_name.trim(),
            role: values.role,
            org_id: values.org_id,
            is_active: values.is_active,
            ...(values.password ? { password: values.password } : {}),
          },
        },
        { onSuccess: () => done(t('common.saved')), onError: fail },
      );
    } else {
      create.mutate(
        {
          username: values.username.trim(),
          full_name: values.full_name.trim(),
          password: values.password ?? '',
          role: values.role,
          org_id: values.org_id,
        },
        { onSuccess: () => done(t('common.created')), onError: fail },
      );
    }
  };

  const passwordRules = [
    ...(user ? [] : [{ required: true, message: t('users.passwordRequired') }]),
    { min: PASSWORD_MIN_LENGTH, message: t('users.passwordMin', { min: PASSWORD_MIN_LENGTH }) },
  ];

  return (
    <Modal
      open
      title={user ? t('users.edit') : t('users.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<UserFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} name="user-form">
        {generalError && (
          <Form.Item>
            <Alert type="error" showIcon message={generalError} role="alert" />
          </Form.Item>
        )}
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[{ required: true, whitespace: true, message: t('users.usernameRequired') }]}
        >
          <Input disabled={user !== null} autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item
          name="full_name"
          label={t('users.fullName')}
          rules={[{ required: true, whitespace: true, message: t('users.fullNameRequired') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="password"
          label={user ? t('users.newPassword') : t('users.password')}
          extra={user ? t('users.newPasswordHelp') : undefined}
          rules={passwordRules}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.roleRequired') }]}>
          <Select<Role> options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
        </Form.Item>
        <Form.Item name="org_id" label={t('users.org')} rules={[{ required: true, message: t('users.orgRequired') }]}>
          {orgSelect}
        </Form.Item>
        {user && (
          <Form.Item name="is_active" label={t('common.status')} valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
