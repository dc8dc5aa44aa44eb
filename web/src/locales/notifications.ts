// The notifications inbox and its unread count. Same keys in both languages: `en` is typed from `zh`.

const zh = {
  nav: { inbox: '通知' },
  inbox: {
    title: '通知',
    unreadCount: '{{count}} 条未读',
    unreadBadge: '{{count}} 条未读通知',
    onlyUnread: '只看未读',
    markRead: '标为已读',
    markAllRead: '全部标为已读',
    read: '已读',
    empty: '没有通知。工单快超时、已超时或部门任务有结果时，会在这里提醒您。',
    emptyUnread: '没有未读通知。',
    when: '时间',
    what: '内容',
    ticket: '工单',
    kind: {
      sla: { warning: '时限预警：{{metric}} 已用 {{percent}}%', breached: '已超时：{{metric}}' },
      note: { mention: '{{by}} 在内部备注中提到了您' },
      call: { unfiled: '您接听的来电 {{caller}} 已结束，尚未建单或关联工单' },
      subtask: {
        assigned: '部门任务交给您的部门：{{title}}',
        done: '部门任务已完成：{{title}}',
        cancelled: '部门任务已撤销：{{title}}',
      },
      other: '通知：{{kind}}',
    },
    due: '截止 {{due}}',
    fileCall: '为该来电建单',
  },
};

const en: typeof zh = {
  nav: { inbox: 'Inbox' },
  inbox: {
    title: 'Notifications',
    unreadCount: '{{count}} unread',
    unreadBadge: '{{count}} unread notifications',
    onlyUnread: 'Unread only',
    markRead: 'Mark read',
    markAllRead: 'Mark all read',
    read: 'Read',
    empty:
      'No notifications. You are told here when a ticket is about to breach or has breached its time limit, or a department task has a result.',
    emptyUnread: 'No unread notifications.',
    when: 'When',
    what: 'What',
    ticket: 'Ticket',
    kind: {
      sla: { warning: 'Time limit warning: {{metric}} {{percent}}% used', breached: 'Breached: {{metric}}' },
      note: { mention: '{{by}} mentioned you in an internal note' },
      call: { unfiled: 'The call you answered from {{caller}} has ended with no ticket created or linked' },
      subtask: {
        assigned: 'Department task for your department: {{title}}',
        done: 'Department task done: {{title}}',
        cancelled: 'Department task cancelled: {{title}}',
      },
      other: 'Notification: {{kind}}',
    },
    due: 'due {{due}}',
    fileCall: 'Create a ticket for this call',
  },
};

export const notificationsText = { zh, en };
