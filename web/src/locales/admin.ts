// The admin console (/admin). Same keys in both languages: `en` is typed from `zh`.

const zh = {
  admin: {
    title: '系统管理',
    section: {
      routing: '路由规则',
      sla: '时限策略',
      calendars: '工作日历',
      categories: '分类与等级',
      teams: '团队与队列',
      staff: '人员',
      channels: '渠道设置',
    },
  },
};

const en: typeof zh = {
  admin: {
    title: 'Administration',
    section: {
      routing: 'Routing rules',
      sla: 'SLA policies',
      calendars: 'Calendars',
      categories: 'Categories & grades',
      teams: 'Teams & queues',
      staff: 'Staff',
      channels: 'Channels',
    },
  },
};

export const adminText = { zh, en };
