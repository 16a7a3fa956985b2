import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { Role } from '../../../api/types';

const ROLE_COLOURS: Record<Role, string> = {
  admin: 'red',
  clerk: 'blue',
  leader: 'gold',
  deputy: 'purple',
  secretary: 'cyan',
  member: 'green',
  integration: 'default',
};

export function RoleTag({ role }: { role: Role }) {
  const { t } = useTranslation();
  return <Tag color={ROLE_COLOURS[role]}>{t(`roles.${role}`)}</Tag>;
}
