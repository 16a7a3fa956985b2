import { useQuery } from '@tanstack/react-query';
import { App, Button, DatePicker, Empty, Form, Input, List, Modal, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AppointmentRead } from '../../../api/types';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/datetime';
import { leadersQuery, useBookAppointment, useRecordAppointment } from '../api';

interface BookValues {
  leader_id: number;
  slot: [Dayjs, Dayjs];
  location?: string;
}

/** A case's video receptions with leaders; managers book slots (overlaps are refused) and record outcomes. */
export function AppointmentPanel({
  caseId,
  appointments,
  canManage,
}: {
  caseId: number;
  appointments: AppointmentRead[];
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [booking, setBooking] = useState(false);
  const [form] = Form.useForm<BookValues>();
  const leaders = useQuery({ ...leadersQuery(), enabled: canManage && booking });
  const book = useBookAppointment(caseId);
  const record = useRecordAppointment(caseId);

  const fail = (cause: unknown) => {
    const { title, detail } = describeError(t, cause);
    void message.error(detail ? `${title}: ${detail}` : title);
  };

  const submit = async () => {
    const values = await form.validateFields();
    try {
      await book.mutateAsync({
        leader_id: values.leader_id,
        starts_at: values.slot[0].toISOString(),
        ends_at: values.slot[1].toISOString(),
        location: values.location || undefined,
      });
      void message.success(t('petitions.booked'));
      setBooking(false);
    } catch (cause) {
      fail(cause);
    }
  };

  return (
    <>
      {appointments.length === 0 ? (
        <Empty description={t('petitions.noAppointments')} />
      ) : (
        <List
          dataSource={appointments}
          data-testid="appointments"
          renderItem={(a) => (
            <List.Item
              actions={
                canManage && a.status === 'booked'
                  ? (['held', 'missed', 'cancelled'] as const).map((status) => (
                      <Button
                        key={status}
                        size="small"
                        onClick={() => record.mutate({ id: a.id, body: { status } }, { onError: fail })}
                      >
                        {t(`petitions.appointmentStatus.${status}`)}
                      </Button>
                    ))
                  : undefined
              }
            >
              <List.Item.Meta
                title={
                  <Space>
                    {a.leader_name}
                    <Tag>{t(`petitions.appointmentStatus.${a.status}`)}</Tag>
                  </Space>
                }
                description={
                  <>
                    {formatDateTime(a.starts_at)} – {formatDateTime(a.ends_at)}
                    {a.location ? ` · ${a.location}` : ''}
                    {a.outcome && <Typography.Paragraph style={{ margin: 0 }}>{a.outcome}</Typography.Paragraph>}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {canManage && (
        <Button type="dashed" onClick={() => setBooking(true)} style={{ marginTop: 12 }}>
          {t('petitions.book')}
        </Button>
      )}
      <Modal
        open={booking}
        title={t('petitions.bookTitle')}
        onOk={() => void submit()}
        onCancel={() => setBooking(false)}
        confirmLoading={book.isPending}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="leader_id" label={t('petitions.leader')} rules={[{ required: true }]}>
            <Select
              loading={leaders.isPending}
              options={(leaders.data ?? []).map((leader) => ({ value: leader.id, label: leader.full_name }))}
            />
          </Form.Item>
          <Form.Item name="slot" label={`${t('petitions.startsAt')} – ${t('petitions.endsAt')}`} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm', minuteStep: 15 }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="location" label={t('petitions.location')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
