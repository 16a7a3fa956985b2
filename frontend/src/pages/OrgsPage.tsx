import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Input, Row, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import type { OrgRead } from '../api/types';
import { hasRole, useMe } from '../features/auth/api';
import { OrgDetails } from '../features/orgs/components/OrgDetails';
import { OrgFormModal, type OrgFormTarget } from '../features/orgs/components/OrgFormModal';
import { OrgSearchResults } from '../features/orgs/components/OrgSearchResults';
import { OrgTree } from '../features/orgs/components/OrgTree';

export default function OrgsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isAdmin = hasRole(me.data, ['admin']);
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const [search, setSearch] = useState(q);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [selected, setSelected] = useState<OrgRead | null>(null);
  const [form, setForm] = useState<OrgFormTarget | null>(null);

  const runSearch = (value: string) => {
    const next = value.trim();
    setParams(next ? { q: next } : {}, { replace: true });
  };

  const clearSearch = () => {
    setSearch('');
    setParams({}, { replace: true });
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[16, 16]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('orgs.title')}
          </Typography.Title>
        </Col>
        <Col>
          <Space wrap>
            <Input.Search
              allowClear
              value={search}
              onChange={(event) => {
                setSearch(event.target.value);
                if (event.target.value === '') clearSearch();
              }}
              onSearch={runSearch}
              placeholder={t('orgs.searchPlaceholder')}
              enterButton={t('common.search')}
              style={{ width: 320 }}
              aria-label={t('orgs.searchPlaceholder')}
              data-testid="org-search"
            />
            <Space size={4}>
              <Switch size="small" checked={includeInactive} onChange={setIncludeInactive} id="org-include-inactive" />
              <label htmlFor="org-include-inactive">{t('common.showInactive')}</label>
            </Space>
            {isAdmin && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ mode: 'create', parent: null })}>
                {t('orgs.create')}
              </Button>
            )}
          </Space>
        </Col>
      </Row>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={12} xl={10}>
          <Card
            title={q ? t('orgs.searchResults', { q }) : t('orgs.tree')}
            extra={q && <Button type="link" onClick={clearSearch}>{t('orgs.clearSearch')}</Button>}
          >
            {q ? (
              <OrgSearchResults q={q} includeInactive={includeInactive} selectedId={selected?.id} onSelect={setSelected} />
            ) : (
              <OrgTree includeInactive={includeInactive} selectedId={selected?.id} onSelect={setSelected} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12} xl={14}>
          {selected ? (
            <OrgDetails
              key={selected.id}
              org={selected}
              canEdit={isAdmin}
              onEdit={(org) => setForm({ mode: 'edit', org })}
              onCreateChild={(parent) => setForm({ mode: 'create', parent })}
            />
          ) : (
            <Card>
              <Empty description={t('orgs.selectHint')} />
            </Card>
          )}
        </Col>
      </Row>
      {form && <OrgFormModal target={form} onClose={() => setForm(null)} onSaved={setSelected} />}
    </Space>
  );
}
