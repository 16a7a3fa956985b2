import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Input, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { RubricTable } from '../features/rubrics/components/RubricTable';

export default function RubricsPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[16, 16]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('rubrics.title')}
          </Typography.Title>
        </Col>
        <Col>
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('rubrics.searchPlaceholder')}
              aria-label={t('rubrics.searchPlaceholder')}
              onSearch={(value) => setQ(value.trim())}
              style={{ width: 260 }}
            />
            <Link to="/rubrics/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t('rubrics.create')}
              </Button>
            </Link>
          </Space>
        </Col>
      </Row>
      <Card>
        <RubricTable q={q} />
      </Card>
    </Space>
  );
}
