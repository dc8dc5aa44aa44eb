// A supervisor assigning a ticket from its page: who can be chosen, and why the others cannot.
// Same keys in both languages; certification names are the training area's.

const zh = {
  assign: {
    open: '指派',
    title: '指派给',
    needs: '此工单须由持有有效认证的人员处理：{{names}}',
    eligible: '可指派',
    ineligible: '不能指派',
    lacks: '缺少认证：{{names}}',
    current: '当前处理人',
    load: '在办 {{open}}/{{capacity}}',
    none: '没有可指派的人员。请先为人员授予所需认证。',
    submit: '指派',
    cancel: '取消',
    separator: '、',
  },
};

const en: typeof zh = {
  assign: {
    open: 'Assign',
    title: 'Assign to',
    needs: 'This ticket must go to someone holding a valid certification: {{names}}',
    eligible: 'Can be assigned',
    ineligible: 'Cannot be assigned',
    lacks: 'Lacks certification: {{names}}',
    current: 'Current assignee',
    load: '{{open}}/{{capacity}} open',
    none: 'Nobody can be assigned. Grant the certification it needs first.',
    submit: 'Assign',
    cancel: 'Cancel',
    separator: ', ',
  },
};

export const assignmentText = { zh, en };
