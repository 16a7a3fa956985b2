import { Button, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { formatDateTime } from '../../../lib/datetime';
import { outsideSpa, targetHref, type HomeTodo, type TodoEntry, type TodoKey, type TodoTarget, type TodoThing } from '../api';

/** Counts that call for action now are shown in red when not zero. */
const URGENT: ReadonlySet<TodoKey> = new Set(['ledger_overdue', 'petitions_overdue', 'sync_failed', 'notices_to_sign', 'my_report']);

function TargetLink({ target, children, testId }: { target: TodoTarget; children: ReactNode; testId?: string }) {
  const href = targetHref(target);
  return outsideSpa(target) ? (
    <a href={href} data-testid={testId}>
      {children}
    </a>
  ) : (
    <Link to={href} data-testid={testId}>
      {children}
    </Link>
  );
}

function ThingLine({ entry, thing }: { entry: TodoEntry; thing: TodoThing }) {
  const { t } = useTranslation();
  let extra: ReactNode = null;
  let title: ReactNode = thing.title;
  if (entry.key === 'meetings_live' || entry.key === 'meetings_upcoming' || entry.key === 'vote_now') {
    extra = thing.starts_at ? <Typography.Text type="secondary">{t('todo.startsAt', { time: formatDateTime(thing.starts_at).slice(0, 16) })}</Typography.Text> : null;
    if (thing.voting_open) extra = <Tag color="green">{t('todo.votingOpen')}</Tag>;
  } else if (entry.key === 'reports_to_review') {
    extra = <Typography.Text type="secondary">{t('todo.reportsInCycle', { count: thing.count ?? 0 })}</Typography.Text>;
  } else if (entry.key === 'my_report' && thing.status) {
    extra = <Tag>{t(`reportStatus.${thing.status as 'draft' | 'submitted' | 'returned' | 'accepted'}`)}</Tag>;
  } else if (entry.key === 'sync_failed') {
    title = t('todo.syncKind', { kind: t(`petitions.syncKind.${thing.title as 'push' | 'pull' | 'import'}`) });
  }
  return (
    <List.Item data-testid={`todo-item-${entry.key}`} style={{ paddingInline: 0 }}>
      <Space wrap size={[8, 0]}>
        <TargetLink target={thing.target}>{title}</TargetLink>
        {extra}
      </Space>
    </List.Item>
  );
}

function EntryCard({ entry }: { entry: TodoEntry }) {
  const { t } = useTranslation();
  const urgent = URGENT.has(entry.key) && entry.count > 0;
  const things = entry.items ?? [];
  return (
    <Card size="small" data-testid={`todo-${entry.key}`} data-count={entry.count} style={{ height: '100%' }}>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t(`todo.keys.${entry.key}`)}</Typography.Text>
        <Space align="baseline" style={{ justifyContent: 'space-between', width: '100%' }} wrap>
          <Typography.Text
            strong
            style={{ fontSize: 28, lineHeight: 1.2, color: urgent ? '#cf1322' : undefined }}
            data-testid={`todo-count-${entry.key}`}
          >
            {entry.count}
          </Typography.Text>
          <TargetLink target={entry.target} testId={`todo-link-${entry.key}`}>
            {t('todo.view')}
          </TargetLink>
        </Space>
        {things.length > 0 && (
          <List
            size="small"
            split={false}
            dataSource={things.slice(0, 5)}
            renderItem={(thing) => <ThingLine entry={entry} thing={thing} />}
          />
        )}
      </Space>
    </Card>
  );
}

/** An evaluator's first thing: the meeting under way with one tap to its ballot (the phone page). */
function VoteNow({ entry }: { entry: TodoEntry }) {
  const { t } = useTranslation();
  const meetings = entry.items ?? [];
  return (
    <Card size="small" data-testid="todo-vote_now" data-count={entry.count} title={t('todo.keys.vote_now')}>
      {meetings.length === 0 ? (
        <Typography.Text type="secondary">{t('todo.noVoteNow')}</Typography.Text>
      ) : (
        <List
          dataSource={meetings}
          renderItem={(meeting) => (
            <List.Item data-testid="todo-item-vote_now" style={{ paddingInline: 0 }}>
              <Space direction="vertical" size={8} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{meeting.title}</Typography.Text>
                  {meeting.voting_open ? <Tag color="green">{t('todo.votingOpen')}</Tag> : <Tag>{t('todo.votingWaiting')}</Tag>}
                </Space>
                <Button type="primary" size="large" block href={targetHref(meeting.target)} data-testid={`todo-vote-${meeting.id}`}>
                  {t('todo.vote')}
                </Button>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** The home page's to-do list: one card per entry with its count, a link to the page that lists it and its first few things. */
export function TodoBoard({ todo }: { todo: HomeTodo }) {
  const { t } = useTranslation();
  const vote = todo.entries.find((entry) => entry.key === 'vote_now');
  const cards = todo.entries.filter((entry) => entry.key !== 'vote_now');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="home-todo" data-role={todo.role}>
      {vote && <VoteNow entry={vote} />}
      {cards.length === 0 && !vote ? (
        <Empty description={t('todo.allClear')} />
      ) : (
        <Row gutter={[12, 12]}>
          {cards.map((entry) => (
            <Col key={entry.key} xs={12} xl={8}>
              <EntryCard entry={entry} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}
