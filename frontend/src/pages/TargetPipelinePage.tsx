import { AppstoreOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Input, Segmented, Select, Skeleton, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PROJECT_STAGES, type ProjectRead, type ProjectStage } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { useMe } from '../features/auth/api';
import { orgQuery, projectsQuery, teamsQuery, unitsQuery } from '../features/targets/api';
import { ProgrammePicker } from '../features/targets/components/ProgrammePicker';
import { ProjectBoard } from '../features/targets/components/ProjectBoard';
import { ProjectDrawer } from '../features/targets/components/ProjectDrawer';
import { ProjectFormModal } from '../features/targets/components/ProjectFormModal';
import { ProjectTable } from '../features/targets/components/ProjectTable';
import { StageMoveModal } from '../features/targets/components/StageMoveModal';
import { ProgrammeStatusTag } from '../features/targets/components/Tags';
import type { Unit } from '../features/targets/components/TargetGrid';
import { clampDay, filterProjects, industriesOf, todayInBeijing, type ProjectFilter } from '../features/targets/logic';
import { useProgrammeChoice } from '../features/targets/useProgrammeChoice';

type View = 'board' | 'list';

/**
 * 项目库: a programme's leads and projects as a board (a column per stage) or a list, with filters; registering a
 * lead, editing it and moving its stage. The host's staff see every project; a unit's secretary their unit's only
 * (the API lists no more), and registers for their own unit when it is one of the programme's.
 */
export default function TargetPipelinePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { programme, programmes, choose, params, setParams } = useProgrammeChoice();
  const id = programme?.id ?? 0;
  const projects = useQuery({ ...projectsQuery(id), enabled: id > 0 });
  const teams = useQuery({ ...teamsQuery(id), enabled: id > 0 });
  const units = useQuery({ ...unitsQuery(programme?.host.id ?? 0), enabled: programme !== undefined });
  const ownOrgId = me.data?.org_id ?? 0;
  const ownOrg = useQuery({ ...orgQuery(ownOrgId), enabled: ownOrgId > 0 && programme !== undefined && !programme.may_manage });
  const [filter, setFilter] = useState<ProjectFilter>({});
  const [opened, setOpened] = useState<number | null>(null);
  const [editing, setEditing] = useState<ProjectRead | 'new' | null>(null);
  const [moving, setMoving] = useState<ProjectRead | null>(null);
  const view: View = params.get('view') === 'list' ? 'list' : 'board';
  // The day a new lead or a move is dated by default: today, kept inside the programme's period.
  const today = programme ? clampDay(todayInBeijing(), programme.period_start, programme.period_end) : todayInBeijing();

  const all = useMemo(() => projects.data ?? [], [projects.data]);
  const shown = useMemo(() => filterProjects(all, filter), [all, filter]);
  const teamNames = useMemo(() => new Map((teams.data ?? []).map((team) => [team.id, team.name])), [teams.data]);
  const projectOrgs = useMemo(() => [...new Map(all.map((project) => [project.org.id, project.org])).values()], [all]);
  const industries = useMemo(() => industriesOf(all, (teams.data ?? []).flatMap((team) => team.industries)), [all, teams.data]);

  // Who registers for which unit: the host's staff for any unit; anyone else for their own unit, when it is one.
  const hostUnits: readonly Unit[] = units.data ?? [];
  const own = ownOrg.data;
  const ownIsUnit =
    own !== undefined && programme !== undefined && (own.parent_id === programme.host.id || hostUnits.some((unit) => unit.id === own.parent_id));
  const registerFor: readonly Unit[] = programme?.may_manage ? hostUnits : own && ownIsUnit ? [own] : [];
  const open = programme !== undefined && programme.status !== 'closed';
  const openedProject = all.find((project) => project.id === opened) ?? null;

  const setFilterPart = (patch: Partial<ProjectFilter>) => setFilter((current) => ({ ...current, ...patch }));
  const setView = (next: View) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set('view', next);
        return updated;
      },
      { replace: true },
    );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('targets.pipeline.title')}
        </Typography.Title>
        <Space wrap>
          <ProgrammePicker value={programme?.id} onChange={(next) => { choose(next); setFilter({}); }} />
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
          {programme.status === 'closed' && <Alert type="info" showIcon message={t('targets.pipeline.closed')} />}
          {programme.status === 'draft' && <Alert type="info" showIcon message={t('targets.pipeline.draft')} />}
          {!programme.may_manage && open && (
            <Alert type="info" showIcon message={registerFor.length > 0 || !ownOrg.data ? t('targets.pipeline.ownOnly') : t('targets.pipeline.notAUnit')} />
          )}
          <Card>
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <Space wrap>
                <Segmented<View>
                  value={view}
                  onChange={setView}
                  options={[
                    { value: 'board', label: t('targets.pipeline.board'), icon: <AppstoreOutlined /> },
                    { value: 'list', label: t('targets.pipeline.list'), icon: <UnorderedListOutlined /> },
                  ]}
                  data-testid="pipeline-view"
                />
                {open && registerFor.length > 0 && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="project-create">
                    {t('targets.pipeline.create')}
                  </Button>
                )}
              </Space>
              <Space wrap>
                <Input.Search
                  allowClear
                  placeholder={t('targets.pipeline.search')}
                  aria-label={t('targets.pipeline.search')}
                  onChange={(event) => setFilterPart({ q: event.target.value })}
                  style={{ width: 240 }}
                />
                {projectOrgs.length > 1 && (
                  <Select<number>
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    placeholder={t('targets.pipeline.anyUnit')}
                    aria-label={t('targets.project.unit')}
                    style={{ width: 180 }}
                    value={filter.orgId}
                    onChange={(orgId) => setFilterPart({ orgId })}
                    options={projectOrgs.map((org) => ({ value: org.id, label: org.name }))}
                  />
                )}
                {(teams.data ?? []).length > 0 && (
                  <Select<number>
                    allowClear
                    placeholder={t('targets.pipeline.anyTeam')}
                    aria-label={t('targets.project.team')}
                    style={{ width: 200 }}
                    value={filter.teamId}
                    onChange={(teamId) => setFilterPart({ teamId })}
                    options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
                  />
                )}
                {view === 'list' && (
                  <Select<ProjectStage>
                    allowClear
                    placeholder={t('targets.pipeline.anyStage')}
                    aria-label={t('targets.project.stage')}
                    style={{ width: 130 }}
                    value={filter.stage}
                    onChange={(stage) => setFilterPart({ stage })}
                    options={PROJECT_STAGES.map((stage) => ({ value: stage, label: t(`targets.stages.${stage}`) }))}
                  />
                )}
                {industries.length > 0 && (
                  <Select<string>
                    allowClear
                    placeholder={t('targets.pipeline.anyIndustry')}
                    aria-label={t('targets.project.industry')}
                    style={{ width: 160 }}
                    value={filter.industry}
                    onChange={(industry) => setFilterPart({ industry })}
                    options={industries.map((industry) => ({ value: industry, label: industry }))}
                  />
                )}
                <Typography.Text type="secondary" data-testid="pipeline-count">
                  {t('targets.pipeline.count', { count: shown.length })}
                </Typography.Text>
              </Space>
              {projects.isError ? (
                <ErrorResult error={projects.error} onRetry={() => void projects.refetch()} />
              ) : projects.isPending ? (
                <Skeleton active />
              ) : view === 'board' ? (
                <ProjectBoard projects={shown} teamNames={teamNames} editable={open} onOpen={(p) => setOpened(p.id)} onMove={setMoving} />
              ) : (
                <ProjectTable projects={shown} teamNames={teamNames} editable={open} onOpen={(p) => setOpened(p.id)} onMove={setMoving} />
              )}
            </Space>
          </Card>
          <ProjectDrawer
            project={openedProject}
            teamName={openedProject?.team_id ? teamNames.get(openedProject.team_id) : undefined}
            editable={open}
            onEdit={setEditing}
            onMove={setMoving}
            onClose={() => setOpened(null)}
          />
          {editing && (
            <ProjectFormModal
              programmeId={programme.id}
              project={editing === 'new' ? null : editing}
              units={registerFor}
              teams={teams.data ?? []}
              today={today}
              onClose={() => setEditing(null)}
            />
          )}
          {moving && <StageMoveModal programmeId={programme.id} project={moving} today={today} onClose={() => setMoving(null)} />}
        </>
      )}
    </Space>
  );
}
