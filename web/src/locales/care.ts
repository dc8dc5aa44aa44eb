// Customer care on the customer panel: the churn-risk badge and the reasons behind it. Same keys in
// both languages.

const zh = {
  care: {
    title: '客户关怀',
    risk: '流失风险',
    level: { low: '低', medium: '中', high: '高' },
    score: '{{score}} 分',
    reasonsTitle: '风险因素',
    noReasons: '近 {{days}} 天无投诉、超时或重开记录',
    points: '+{{points}}',
    reason: {
      repeat_complaints: '{{days}} 天内重复投诉 {{n}} 次',
      sla_breaches: '{{days}} 天内 {{n}} 张工单超出时限',
      open_complaints: '{{n}} 个投诉尚未解决',
      reopened_tickets: '{{n}} 张工单被重新打开',
      low_ratings: '{{n}} 次满意度低评分',
      tier: '{{tier}}客户，期望更高',
      new_customer: '入网仅 {{days}} 天',
    },
    counts: '{{days}} 天内投诉 {{complaints}} 次 · 未解决 {{open}} · 超时 {{breaches}}',
    accountManager: '客户经理：{{name}}',
    accountManagerLabel: '客户经理',
    noAccountManager: '（未指定）',
    satisfaction: '满意度：{{days}} 天内评价 {{answered}} 次，平均 {{average}} 分',
    noSatisfaction: '{{days}} 天内没有满意度评价',
    recentRatings: '最近评分（新→旧）：{{ratings}}',
  },
  timeline: {
    assignedAccountManager: '工单自动分派给客户经理',
  },
  inbox: { kind: { care: { churn_high: '您负责的客户流失风险高（{{score}} 分），请尽快关怀回访' } } },
  apiError: {
    customer_not_high_value: '只有 VIP 和金卡客户可以指定客户经理',
    customer_account_manager_invalid: '客户经理须是在职、可受理工单的员工',
  },
};

const en: typeof zh = {
  care: {
    title: 'Customer care',
    risk: 'Churn risk',
    level: { low: 'low', medium: 'medium', high: 'high' },
    score: '{{score}} points',
    reasonsTitle: 'Why',
    noReasons: 'No complaints, breaches or reopened tickets in {{days}} days',
    points: '+{{points}}',
    reason: {
      repeat_complaints: 'Repeat complaints in {{days}} days: {{n}}',
      sla_breaches: 'Tickets past their time limit in {{days}} days: {{n}}',
      open_complaints: 'Complaints not yet resolved: {{n}}',
      reopened_tickets: 'Tickets reopened: {{n}}',
      low_ratings: 'Low satisfaction ratings: {{n}}',
      tier: '{{tier}} customer: higher expectations',
      new_customer: 'New customer: joined {{days}} days ago',
    },
    counts: 'In {{days}} days: complaints {{complaints}} · open {{open}} · breached {{breaches}}',
    accountManager: 'Account manager: {{name}}',
    accountManagerLabel: 'Account manager',
    noAccountManager: '(none)',
    satisfaction: 'Satisfaction in {{days}} days: {{answered}} answered, average {{average}}',
    noSatisfaction: 'No satisfaction ratings in {{days}} days',
    recentRatings: 'Latest ratings (newest first): {{ratings}}',
  },
  timeline: {
    assignedAccountManager: "Assigned automatically to the customer's account manager",
  },
  inbox: {
    kind: { care: { churn_high: 'A customer you manage is at high churn risk ({{score}} points): reach out to them' } },
  },
  apiError: {
    customer_not_high_value: 'Only VIP and gold customers can have an account manager',
    customer_account_manager_invalid: 'The account manager must be an active member of staff who takes tickets',
  },
};

export const careText = { zh, en };
