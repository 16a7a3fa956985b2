import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  FileTextOutlined,
  HomeOutlined,
  NotificationOutlined,
  SyncOutlined,
  TeamOutlined,
  UploadOutlined,
  ProfileOutlined,
  ScheduleOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

import type { Role } from '../api/types';
import type zhCN from '../i18n/zh-CN.json';

export interface NavItem {
  key: Exclude<keyof typeof zhCN.nav, 'menu'>;
  path: string;
  icon: ReactNode;
  /** Roles that see the item; everyone when absent. */
  roles?: readonly Role[];
}

/** The side menu, in order; later features add their entries here. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', path: '/', icon: <HomeOutlined /> },
  { key: 'cycles', path: '/cycles', icon: <ScheduleOutlined />, roles: ['admin', 'clerk', 'leader', 'deputy', 'member', 'secretary'] },
  { key: 'myReports', path: '/my-reports', icon: <FileTextOutlined />, roles: ['secretary'] },
  { key: 'rubrics', path: '/rubrics', icon: <ProfileOutlined />, roles: ['admin', 'clerk'] },
  { key: 'orgs', path: '/orgs', icon: <ApartmentOutlined /> },
  { key: 'meetings', path: '/meetings', icon: <NotificationOutlined />, roles: ['admin', 'clerk'] },
  { key: 'myMeetings', path: '/my-meetings', icon: <CheckSquareOutlined />, roles: ['leader', 'deputy'] },
  { key: 'petitions', path: '/petitions', icon: <FileTextOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'petitionStats', path: '/petitions/stats', icon: <BarChartOutlined />, roles: ['admin', 'clerk', 'leader', 'secretary'] },
  { key: 'petitionImport', path: '/petitions/import', icon: <UploadOutlined />, roles: ['admin', 'clerk'] },
  { key: 'petitionSync', path: '/petitions/sync', icon: <SyncOutlined />, roles: ['admin', 'clerk', 'integration'] },
  { key: 'users', path: '/users', icon: <TeamOutlined />, roles: ['admin'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, roles: ['admin'] },
];

export function visibleNavItems(role: Role | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)));
}

/** The menu entry a location belongs to: the longest path that prefixes it. */
export function activeNavKey(pathname: string, items: readonly NavItem[]): string | undefined {
  return [...items]
    .filter((item) => (item.path === '/' ? pathname === '/' : pathname === item.path || pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]?.key;
}
