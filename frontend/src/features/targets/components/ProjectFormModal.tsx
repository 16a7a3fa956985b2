import { Alert, App, AutoComplete, Col, DatePicker, Form, Input, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PROJECT_RANKINGS, type ProjectRanking, type ProjectRead, type TeamRead } from '../../../api/types';
import { formErrorText } from '../../../lib/forms';
import { useCreateProject, useUpdateProject } from '../api';
import { isAmount, ORIGIN_REGIONS, plain } from '../logic';
import type { Unit } from './TargetGrid';

interface Values {
  org_id: number | null;
  team_id: number | null;
  company: string;
  industry: string;
  origin_region: string;
  ranking: ProjectRanking;
  contract_amount: string;
  funds_in_place: string;
  negotiating_date: Dayjs | null;
  evidence: string;
}

interface ProjectFormModalProps {
  programmeId: number;
  /** The project to change, or null to register a lead. */
  project: ProjectRead | null;
  /** The units the person may register for (one: it is chosen for them). */
  units: readonly Unit[];
  teams: readonly TeamRead[];
  /** The day talks began, for a new lead (today in Beijing, usually). */
  today: string;
  onClose: () => void;
}

/** Register a lead (洽谈) for a unit, or change a project's details; stages move through their own dialog. */
export function ProjectFormModal({ programmeId, project, units, teams, today, onClose }: ProjectFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateProject(programmeId);
  const update = useUpdateProject(programmeId);
  const [generalError, setGeneralError] = useState<string | null>(null);
  const industries = [...new Set(teams.flatMap((team) => team.industries))];
  const amountRule = { validator: async (_: unknown, value: string) => {
    if (value && !isAmount(value)) throw new Error(t('targets.project.amountInvalid'));
  } };

  const fail = (error: unknown) => {
    setGeneralError(formErrorText(t, form, error));
  };

  const submit = (values: Values) => {
    setGeneralError(null);
    const details = {
      team_id: values.team_id ?? null,
      company: values.company.trim(),
      industry: values.industry.trim(),
      origin_region: values.origin_region.trim(),
      ranking: values.ranking,
      contract_amount: values.contract_amount.trim() || '0',
      funds_in_place: values.funds_in_place.trim() || '0',
      evidence: values.evidence.trim(),
    };
    const done = () => {
      void message.success(project ? t('targets.project.saved') : t('targets.project.created'));
      onClose();
    };
    if (project) {
      update.mutate({ id: project.id, body: details }, { onSuccess: done, onError: fail });
    } else {
      create.mutate(
        { ...details, org_id: values.org_id ?? 0, negotiating_date: values.negotiating_date?.format('YYYY-MM-DD') ?? today },
        { onSuccess: done, onError: fail },
      );
    }
  };

  return (
    <Modal
      open
      width={640}
      title={project ? t('targets.project.edit') : t('targets.project.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      forceRender
    >
      <Form<Values>
        form={form}
        layout="vertical"
        name="project-form"
        onFinish={submit}
        initialValues={{
          org_id: project?.org.id ?? (units.length === 1 ? units[0]!.id : null),
          team_id: project?.team_id ?? null,
          company: project?.company ?? '',
          industry: project?.industry ?? '',
          origin_region: project?.origin_region ?? '',
          ranking: project?.ranking ?? 'none',
          contract_amount: project ? plain(project.contract_amount) : '',
          funds_in_place: project ? plain(project.funds_in_place) : '',
          negotiating_date: dayjs(project?.negotiating_date ?? today),
          evidence: project?.evidence ?? '',
        }}
      >
        {generalError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={generalError} role="alert" />}
        <Form.Item name="company" label={t('targets.project.company')} rules={[{ required: true, whitespace: true, message: t('targets.project.companyRequired') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            {project ? (
              <Form.Item label={t('targets.project.unit')}>
                <Input disabled value={project.org.name} aria-label={t('targets.project.unit')} />
              </Form.Item>
            ) : (
              <Form.Item name="org_id" label={t('targets.project.unit')} rules={[{ required: true, message: t('targets.project.unitRequired') }]}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  disabled={units.length === 1}
                  aria-label={t('targets.project.unit')}
                  options={units.map((unit) => ({ value: unit.id, label: unit.name }))}
                  data-testid="project-unit"
                />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="team_id" label={t('targets.project.team')}>
              <Select
                allowClear
                placeholder={t('targets.project.noTeam')}
                aria-label={t('targets.project.team')}
                options={teams.map((team) => ({ value: team.id, label: team.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="industry" label={t('targets.project.industry')}>
              <AutoComplete
                options={industries.map((value) => ({ value }))}
                filterOption={(input, option) => String(option?.value ?? '').includes(input)}
                aria-label={t('targets.project.industry')}
              >
                <Input maxLength={100} />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="origin_region" label={t('targets.project.originRegion')}>
              <AutoComplete options={ORIGIN_REGIONS.map((value) => ({ value }))} aria-label={t('targets.project.originRegion')}>
                <Input maxLength={100} placeholder={t('targets.project.originPlaceholder')} />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="ranking" label={t('targets.project.ranking')}>
              <Select aria-label={t('targets.project.ranking')} options={PROJECT_RANKINGS.map((value) => ({ value, label: t(`targets.ranking.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="negotiating_date" label={t('targets.project.negotiatingDate')} rules={[{ required: true, message: t('targets.project.negotiatingDateRequired') }]}>
              <DatePicker style={{ width: '100%' }} disabled={project !== null} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="contract_amount" label={t('targets.project.contractAmount')} rules={[amountRule]}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="funds_in_place" label={t('targets.project.fundsInPlace')} rules={[amountRule]}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="evidence" label={t('targets.project.evidence')}>
          <Input.TextArea rows={3} maxLength={4000} placeholder={t('targets.project.evidencePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
