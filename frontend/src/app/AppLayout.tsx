import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Grid, Layout, Menu, Space, Tooltip, Typography, theme } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';

import { FullPageSpinner } from '../components/FullPageSpinner';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useLogout, useMe } from '../features/auth/api';
import { activeNavKey, navTree, visibleNavItems, type NavItem } from './navigation';

const { Header, Sider, Content } = Layout;

/** The signed-in frame: side menu, header with the user and language, and the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  // On a phone (below antd's `sm`, 576 px) the header keeps the short name and icons only.
  const narrow = !Grid.useBreakpoint().sm;
  const items = visibleNavItems(me.data?.role);
  const who = me.data ? t('header.userRole', { name: me.data.full_name, role: t(`roles.${me.data.role}`) }) : '';
  const selected = activeNavKey(location.pathname, items);
  const menuItem = (item: NavItem) => ({ key: item.key, icon: item.icon, label: <Link to={item.path}>{t(`nav.${item.key}`)}</Link> });

  const signOut = () => {
    logout();
    void message.info(t('auth.loggedOut'));
    navigate('/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* Below 992 px the menu folds away; its button then sits in the header's left corner. */}
      <Sider breakpoint="lg" collapsedWidth={0} theme="dark" width={208} zeroWidthTriggerStyle={{ top: 12 }}>
        <Link to="/" style={{ display: 'block', padding: '16px 20px', color: '#fff', fontSize: 18, fontWeight: 600 }}>
          {t('app.name')}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          aria-label={t('nav.menu')}
          selectedKeys={selected ? [selected] : []}
          items={navTree(items).map((entry) =>
            'group' in entry
              ? { type: 'group' as const, key: `group-${entry.group}`, label: t(`navGroups.${entry.group}`), children: entry.items.map(menuItem) }
              : menuItem(entry.item),
          )}
          data-testid="side-menu"
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: narrow ? '0 12px 0 56px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: narrow ? 8 : 16,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Typography.Text strong ellipsis>
            {narrow ? t('app.name') : t('app.fullName')}
          </Typography.Text>
          <Space size={narrow ? 'small' : 'middle'} wrap={false}>
            <LanguageSwitch />
            {me.data && (
              <Tooltip title={narrow ? who : undefined}>
                <Space size={4} data-testid="current-user">
                  <UserOutlined aria-label={who} />
                  {!narrow && <span>{who}</span>}
                </Space>
              </Tooltip>
            )}
            <Button icon={<LogoutOutlined />} onClick={signOut} data-testid="logout" aria-label={t('header.logout')}>
              {!narrow && t('header.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: narrow ? 12 : 24 }}>
          <Suspense fallback={<FullPageSpinner />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
