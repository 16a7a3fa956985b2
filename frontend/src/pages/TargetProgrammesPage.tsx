import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

import { useMe } from '../features/auth/api';
import { OrgSelect } from '../features/orgs/components/OrgSelect';
import { orgQuery } from '../features/targets/api';
import { ProgrammeFormModal } from '../features/targets/components/ProgrammeFormModal';
import { ProgrammeTable } from '../features/targets/components/ProgrammeTable';

/**
 * 目标责任方案: every programme, and a new one (hosted by a county or district) for those who may host one: an
 * administrator, or a clerk of the department serving the county (a township's clerk hosts no county's programme).
 */
export default function TargetProgrammesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const ownOrg = useQuery({ ...orgQuery(me.data?.org_id ?? 0), enabled: me.data?.role === 'clerk' });
  const countyStaff = ownOrg.data?.kind === 'department' || ownOrg.data?.kind === 'county';
  const mayCreate = me.data?.role === 'admin' || (me.data?.role === 'clerk' && countyStaff);
  const [creating, setCreating] = useState(false);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[16, 16]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('targets.programmes.title')}
          </Typography.Title>
        </Col>
        {mayCreate && (
          <Col>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="programme-create">
              {t('targets.programmes.create')}
            </Button>
          </Col>
        )}
      </Row>
      <Card>
        <ProgrammeTable />
      </Card>
      {creating && (
        <ProgrammeFormModal
          programme={null}
          hostSelect={<OrgSelect kinds={['county']} aria-label={t('targets.programmes.host')} />}
          onClose={() => setCreating(false)}
          onSaved={(programme) => navigate(`/targets/programmes/${programme.id}`)}
        />
      )}
    </Space>
  );
}
