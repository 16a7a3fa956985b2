import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Drawer, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

import { CYCLE_STAGES, type CycleStage } from '../api/types';
import { hasRole, useMe } from '../features/auth/api';
import { CycleFormModal } from '../features/cycles/components/CycleFormModal';
import { CycleTable } from '../features/cycles/components/CycleTable';
import { ImportPanel } from '../features/cycles/components/ImportPanel';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { RubricSelect } from '../features/rubrics/components/RubricSelect';

export default function CyclesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const staff = hasRole(me.data, ['admin', 'clerk']);
  const [stage, setStage] = useState<CycleStage | undefined>();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[16, 16]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('cycles.title')}
          </Typography.Title>
        </Col>
        <Col>
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('cycles.searchPlaceholder')}
              aria-label={t('cycles.searchPlaceholder')}
              onSearch={(value) => setQ(value.trim())}
              style={{ width: 240 }}
            />
            <Select<CycleStage>
              allowClear
              placeholder={t('cycles.filterStage')}
              aria-label={t('cycles.filterStage')}
              style={{ width: 150 }}
              options={CYCLE_STAGES.map((s) => ({ value: s, label: t(`stages.${s}`) }))}
              onChange={(value) => setStage(value ?? undefined)}
            />
            {staff && (
              <>
                <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="open-import">
                  {t('import.title')}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('cycles.create')}
                </Button>
              </>
            )}
          </Space>
        </Col>
      </Row>
      <Card>
        <CycleTable stage={stage} q={q} />
      </Card>
      {creating && (
        <CycleFormModal
          cycle={null}
          hostSelect={<OrgSelect kinds={['county', 'township', 'working_committee']} />}
          rubricSelect={<RubricSelect />}
          onClose={() => setCreating(false)}
          onSaved={(cycle) => navigate(`/cycles/${cycle.id}`)}
        />
      )}
      <Drawer open={importing} width={720} title={t('import.title')} onClose={() => setImporting(false)} destroyOnHidden>
        <ImportPanel onImported={(result) => navigate(`/cycles/${result.cycle_id}`)} />
      </Drawer>
    </Space>
  );
}
