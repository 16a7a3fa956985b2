import { QuestionCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Empty, Skeleton, Space, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

import { ErrorResult } from '../components/ErrorResult';
import { completionQuery } from '../features/targets/api';
import { CompletionChart } from '../features/targets/components/CompletionChart';
import { CompletionTable } from '../features/targets/components/CompletionTable';
import { ProgrammePicker } from '../features/targets/components/ProgrammePicker';
import { ProgrammeStatusTag } from '../features/targets/components/Tags';
import { clampDay, percent, todayInBeijing } from '../features/targets/logic';
import { useProgrammeChoice } from '../features/targets/useProgrammeChoice';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 完成情况: on a chosen day (today by default, kept inside the programme's period), each unit's completion per
 * measure, ranked, with its light against the expected pace, the change on last month's end and the veto fact; and
 * a chart of the weighted completion against the pace.
 */
export default function TargetCompletionPage() {
  const { t } = useTranslation();
  const { programme, programmes, choose, params, setParams } = useProgrammeChoice();
  const asked = params.get('day');
  const day = programme
    ? clampDay(asked && DAY.test(asked) ? asked : todayInBeijing(), programme.period_start, programme.period_end)
    : todayInBeijing();
  const completion = useQuery({ ...completionQuery(programme?.id ?? 0, day), enabled: programme !== undefined });
  const data = completion.data?.programme_id === programme?.id ? completion.data : undefined;

  const setDay = (next: string | null) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set('day', next);
        else updated.delete('day');
        return updated;
      },
      { replace: true },
    );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('targets.completion.title')}
        </Typography.Title>
        <Space wrap>
          <ProgrammePicker
            value={programme?.id}
            onChange={(next) => {
              choose(next);
              setDay(null);
            }}
          />
          {programme && <ProgrammeStatusTag status={programme.status} />}
        </Space>
      </Space>
      {programmes.isError ? (
        <ErrorResult error={programmes.error} onRetry={() => void programmes.refetch()} />
      ) : programmes.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : !programme ? (
        <Card>
          <Empty description={t('targets.pipeline.noProgrammes')} />
        </Card>
      ) : (
        <>
          <Space wrap align="center">
            <Typography.Text>{t('targets.completion.asOf')}</Typography.Text>
            <DatePicker
              value={dayjs(day)}
              allowClear={false}
              minDate={dayjs(programme.period_start)}
              maxDate={dayjs(programme.period_end)}
              onChange={(value) => setDay(value ? value.format('YYYY-MM-DD') : null)}
              aria-label={t('targets.completion.asOf')}
              data-testid="completion-day"
            />
            {data && (
              <>
                <Typography.Text strong data-testid="completion-pace">
                  {t('targets.completion.pace', { pace: percent(data.expected_pace) })}
                </Typography.Text>
                <Tooltip title={t('targets.completion.paceHint')}>
                  <QuestionCircleOutlined aria-label={t('targets.completion.paceHint')} />
                </Tooltip>
                <Typography.Text type="secondary">
                  {data.previous_as_of ? t('targets.completion.previous', { day: data.previous_as_of }) : t('targets.completion.noPrevious')}
                </Typography.Text>
              </>
            )}
          </Space>
          {completion.isError ? (
            <ErrorResult error={completion.error} onRetry={() => void completion.refetch()} />
          ) : !data ? (
            <Card>
              <Skeleton active />
            </Card>
          ) : (
            <>
              <Card title={t('targets.completion.chart')} size="small">
                {data.units.some((unit) => unit.weighted_completion !== null) ? (
                  <CompletionChart completion={data} />
                ) : (
                  <Empty description={t('targets.completion.empty')} />
                )}
              </Card>
              <Card title={t('targets.completion.table')} size="small">
                <CompletionTable completion={data} />
              </Card>
            </>
          )}
        </>
      )}
    </Space>
  );
}
