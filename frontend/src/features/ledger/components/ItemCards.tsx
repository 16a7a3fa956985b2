import { Card, Descriptions, List } from 'antd';
import type { PaginationProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { LedgerItem } from '../../../api/types';
import { Deadline } from './Deadline';
import { ItemActions } from './ItemActions';
import { StatusTag } from './StatusTag';

interface ItemCardsProps {
  items: readonly LedgerItem[] | undefined;
  loading: boolean;
  pagination: PaginationProps;
}

/** Ledger items as cards for a phone: the problem, its status, its deadline and the steps the user may take. */
export function ItemCards({ items, loading, pagination }: ItemCardsProps) {
  const { t } = useTranslation();
  return (
    <List<LedgerItem>
      dataSource={items ? [...items] : []}
      loading={loading}
      rowKey="id"
      split={false}
      pagination={{ ...pagination, simple: true, align: 'center' }}
      locale={{ emptyText: t('ledger.empty') }}
      renderItem={(item) => (
        <List.Item style={{ paddingInline: 0 }}>
          <Card size="small" style={{ width: '100%' }} data-testid={`ledger-card-${item.id}`}>
            <Descriptions size="small" column={1} colon={false}>
              <Descriptions.Item label={t('ledger.itemTitle')}>
                <Link to={`/ledger/items/${item.id}`}>{item.title}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('ledger.statusLabel')}>
                <StatusTag status={item.status} overdue={item.overdue} dueSoon={item.due_soon} />
              </Descriptions.Item>
              <Descriptions.Item label={t('ledger.dueDate')}>
                <Deadline item={item} />
              </Descriptions.Item>
              {item.allowed_transitions.length > 0 && (
                <Descriptions.Item label={t('common.actions')}>
                  <ItemActions item={item} />
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </List.Item>
      )}
      data-testid="ledger-cards"
    />
  );
}
