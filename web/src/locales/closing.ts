// Closing the loop with the customer: recording their answer, a supervisor's early close, and the
// timeline's sentences for how a resolved ticket closed. Same keys in both languages.

const zh = {
  closing: {
    record: '记录客户答复',
    recordTitle: '客户对处理结果的答复',
    solved: '客户确认已解决（结单）',
    notSolved: '客户反馈未解决（重新处理）',
    what: '客户原话（可选）',
    save: '保存答复',
    override: '强制结单',
    overrideTitle: '未经客户确认结单',
    overrideReason: '原因（必填，将记入处理记录）',
    waiting: '已解决，等待客户确认：客户确认后结单，到期无答复将自动结单。',
  },
  timeline: {
    closedConfirmedPhone: '{{who}} 记录客户电话确认已解决，工单关闭',
    closedConfirmedPortal: '客户在自助服务中确认已解决，工单关闭',
    reopenedByCustomerPhone: '{{who}} 记录客户反馈未解决，工单重新处理',
    closedConfirmedReply: '客户回复{{channel}}确认已解决，工单关闭',
    reopenedByCustomerReply: '客户回复{{channel}}反馈未解决，工单重新处理',
    closedOverride: '{{who}} 未经客户确认结单：{{note}}',
    closedNoAnswer: '客户 {{days}} 天未答复，工单自动关闭',
  },
  apiError: {
    ticket_confirmation_required: '已解决的工单需客户确认后结单，或由值班长说明原因后结单',
    ticket_close_reason_required: '请填写未经客户确认结单的原因',
  },
};

const en: typeof zh = {
  closing: {
    record: "Record the customer's answer",
    recordTitle: "The customer's answer to the resolution",
    solved: 'The customer confirms it is solved (close)',
    notSolved: 'The customer says it is not solved (reopen)',
    what: 'What the customer said (optional)',
    save: 'Save the answer',
    override: 'Close without confirmation',
    overrideTitle: 'Close before the customer answered',
    overrideReason: 'Reason (required; kept on the timeline)',
    waiting:
      'Resolved, waiting for the customer: it closes when they confirm, or by itself if no answer comes in time.',
  },
  timeline: {
    closedConfirmedPhone: "{{who}} recorded the customer's confirmation on the phone; ticket closed",
    closedConfirmedPortal: 'The customer confirmed in the portal that it is solved; ticket closed',
    reopenedByCustomerPhone: '{{who}} recorded that the customer says it is not solved; ticket reopened',
    closedConfirmedReply: 'The customer answered by {{channel}} that it is solved; ticket closed',
    reopenedByCustomerReply: 'The customer answered by {{channel}} that it is not solved; ticket reopened',
    closedOverride: '{{who}} closed it before the customer answered: {{note}}',
    closedNoAnswer: 'No answer from the customer in {{days}} days; ticket closed by itself',
  },
  apiError: {
    ticket_confirmation_required:
      'A resolved ticket closes when the customer confirms it, or by a supervisor who gives a reason',
    ticket_close_reason_required: 'Say why the ticket is closed before the customer answered',
  },
};

export const closingText = { zh, en };
