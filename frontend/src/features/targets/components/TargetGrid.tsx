import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Input, Space, Switch, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { MeasureRead, TargetRead } from '../../../api/types';
import { sumDecimals } from '../../../lib/decimal';
import { describeError } from '../../../lib/errors';
import { usePutTargets } from '../api';
import { cellKey, gridFromTargets, gridsDiffer, gridToPut, invalidCells, isTargetValue, plain, setCell, type TargetGrid as Grid } from '../logic';

/** An organisation a target can be set on. */
export interface Unit {
  id: number;
  code: string;
  name: string;
}

interface TargetGridProps {
  programmeId: number;
  /** The rows: the units below the programme's host (any unit that already has a target is added). */
  units: readonly Unit[];
  measures: readonly MeasureRead[];
  targets: readonly TargetRead[];
  editable: boolean;
}

/**
 * The unit × measure table of targets, edited in place and saved whole: a filled cell is the unit's target for the
 * measure, an empty one means none (the unit is not held to that measure).
 */
export function TargetGrid(props: TargetGridProps) {
  // Typing starts again from what is saved whenever that changes (a save, a measure removed), not on a refetch
  // that brings the same table.
  const signature = JSON.stringify(gridToPut(gridFromTargets(props.targets)));
  return <EditableGrid key={signature} {...props} />;
}

function EditableGrid({ programmeId, units, measures, targets, editable }: TargetGridProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const put = usePutTargets(programmeId);
  const saved = useMemo(() => gridFromTargets(targets), [targets]);
  const [grid, setGrid] = useState<Grid>(saved);
  const [search, setSearch] = useState('');
  const [onlyWithTargets, setOnlyWithTargets] = useState(false);
  const [showInvalid, setShowInvalid] = useState(false);

  const rows = useMemo(() => {
    const all = [...units];
    for (const target of targets) if (!all.some((unit) => unit.id === target.org.id)) all.push(target.org);
    return all;
  }, [units, targets]);
  const hasTarget = (unit: Unit) => measures.some((m) => grid[cellKey(unit.id, m.key)] !== undefined);
  const q = search.trim();
  const shown = rows.filter((unit) => (!q || unit.name.includes(q)) && (!onlyWithTargets || hasTarget(unit)));
  const invalid = invalidCells(grid);
  const dirty = gridsDiffer(grid, saved);
  const count = Object.keys(grid).length;

  if (measures.length === 0) return <Empty description={t('targets.grid.noMeasures')} />;
  if (rows.length === 0) return <Empty description={t('targets.grid.noUnits')} />;

  const save = () => {
    if (invalid.length > 0) {
      setShowInvalid(true);
      return;
    }
    put.mutate(gridToPut(grid), {
      onSuccess: () => {
        setShowInvalid(false);
        void message.success(t('targets.grid.saved'));
      },
      onError: (error) => {
        const { title, detail } = describeError(t, error);
        void message.error(detail ? `${title}: ${detail}` : title);
      },
    });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="target-grid">
      <Typography.Text type="secondary">{t('targets.grid.hint')}</Typography.Text>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('targets.grid.search')}
          aria-label={t('targets.grid.search')}
          onChange={(event) => setSearch(event.target.value)}
          style={{ width: 220 }}
        />
        <Space size={4}>
          <Switch size="small" id="grid-only-targets" checked={onlyWithTargets} onChange={setOnlyWithTargets} />
          <label htmlFor="grid-only-targets">{t('targets.grid.onlyWithTargets')}</label>
        </Space>
        <Typography.Text type="secondary">{t('targets.grid.targets', { count })}</Typography.Text>
        {editable && (
          <>
            <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={put.isPending} onClick={save} data-testid="grid-save">
              {t('targets.grid.save')}
            </Button>
            <Button icon={<UndoOutlined />} disabled={!dirty} onClick={() => setGrid(saved)}>
              {t('targets.grid.discard')}
            </Button>
            {dirty && <Typography.Text type="warning">{t('targets.grid.unsaved')}</Typography.Text>}
          </>
        )}
      </Space>
      {showInvalid && invalid.length > 0 && (
        <Alert type="error" showIcon role="alert" message={t('targets.grid.invalid', { count: invalid.length })} />
      )}
      <Table<Unit>
        rowKey="id"
        size="small"
        bordered
        pagination={false}
        dataSource={shown}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'unit', title: t('targets.grid.unit'), dataIndex: 'name', fixed: 'left' },
          ...measures.map((measure) => ({
            key: measure.key,
            title: `${measure.name}（${measure.unit}）`,
            align: 'right' as const,
            render: (_: unknown, unit: Unit) => {
              const key = cellKey(unit.id, measure.key);
              const text = grid[key] ?? '';
              const label = t('targets.grid.cellLabel', { unit: unit.name, measure: measure.name });
              if (!editable) return <span aria-label={label}>{text ? plain(text) : ''}</span>;
              const bad = text !== '' && !isTargetValue(text);
              return (
                <Input
                  size="small"
                  value={text}
                  inputMode="decimal"
                  aria-label={label}
                  aria-invalid={bad || undefined}
                  status={bad ? 'error' : undefined}
                  title={bad ? t('targets.grid.cellInvalid') : undefined}
                  onChange={(event) => setGrid((current) => setCell(current, key, event.target.value))}
                  style={{ width: 100, textAlign: 'right' }}
                  data-cell={key}
                />
              );
            },
          })),
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{t('targets.grid.total')}</Table.Summary.Cell>
            {measures.map((measure, index) => (
              <Table.Summary.Cell key={measure.key} index={index + 1} align="right">
                {sumDecimals(rows.map((unit) => {
                  const text = grid[cellKey(unit.id, measure.key)];
                  return text !== undefined && isTargetValue(text) ? text : null;
                }))}
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        )}
      />
    </Space>
  );
}
