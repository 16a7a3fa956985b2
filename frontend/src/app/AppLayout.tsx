import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Layout, Menu, Space, Typography, theme } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';

import { FullPageSpinner } from '../components/FullPageSpinner';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useLogout, useMe } from '../features/auth/api';
import { activeNavKey, visibleNavItems } from './navigation';

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
  const items = visibleNavItems(me.data?.role);
  const selected = activeNavKey(location.pathname, items);

  const signOut = () => {
    logout();
    void message.info(t('auth.loggedOut'));
    navigate('/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider breakpoint="lg" collapsedWidth={0} theme="dark" width={208}>
        <Link to="/" style={{ display: 'block', padding: '16px 20px', color: '#fff', fontSize: 18, fontWeight: 600 }}>
          {t('app.name')}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          aria-label={t('nav.menu')}
          selectedKeys={selected ? [selected] : []}
          items={items.map((item) => ({
            key: item.key,
            icon: item.icon,
            label: <Link to={item.path}>{t(`nav.${item.key}`)}</Link>,
          }))}
          data-testid="side-menu"
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 16,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Typography.Text strong ellipsis>
            {t('app.fullName')}
          </Typography.Text>
          <Space size="middle" wrap={false}>
            <LanguageSwitch />
            {me.data && (
              <Space size={4} data-testid="current-user">
                <UserOutlined aria-hidden />
                <span>{t('header.userRole', { name: me.data.full_name, role: t(`roles.${me.data.role}`) })}</span>
              </Space>
            )}
            <Button icon={<LogoutOutlined />} onClick={signOut} data-testid="logout">
              {t('header.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: 24 }}>
          <Suspense fallback={<FullPageSpinner />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
