// Satisfaction surveys: the survey page a customer opens from the link (portal), the timeline's
// sentence for an answer (desk), and the error codes. Same keys in both languages.

const zh = {
  survey: {
    title: '服务满意度调查',
    intro: '您的工单 {{number}} 已处理完毕。请花一分钟告诉我们您的感受。',
    csat: '总体来说，您对本次服务满意吗？',
    csatScale: '1 = 非常不满意，5 = 非常满意',
    nps: '您有多大可能向亲友推荐我们？',
    npsScale: '0 = 完全不可能，10 = 非常可能',
    dimensions: '分项评价（可选）',
    dimension: {
      speed: '处理速度',
      quality: '处理质量',
      attitude: '服务态度',
      convenience: '办理便捷',
    },
    comment: '还有什么想告诉我们的吗？（可选）',
    submit: '提交评价',
    sending: '正在提交…',
    needCsat: '请先选择总体满意度',
    thanks: '感谢您的评价！',
    thanksText: '您的意见已收到，我们会据此改进服务。',
    answered: '此调查已提交过',
    answeredText: '工单 {{number}} 的满意度调查已经提交，每个链接只能使用一次。感谢您的参与！',
    expired: '此调查链接已过期',
    expiredText: '工单 {{number}} 的满意度调查已超过有效期。如有问题，请登录自助服务或拨打客服热线。',
    invalid: '链接无效',
    invalidText: '此调查链接无效，请检查短信或邮件中的链接是否完整。',
    validUntil: '有效期至 {{when}}',
  },
  surveyPanel: {
    title: '满意度调查',
    status: { scheduled: '待发送', sent: '已发送', answered: '已评价', expired: '已过期', skipped: '不发送' },
    sendsAt: '将于 {{when}} 发送',
    sentAt: '{{when}} 已发送，{{until}} 前有效',
    skip: {
      opted_out: '客户已退订满意度调查',
      merged: '工单已合并',
      regulator: '监管转办工单不做调查',
      frequency_cap: '客户近期已收到调查（频次限制）',
      no_contact: '没有可发送的联系方式',
    },
  },
  timeline: {
    surveyAnswered: '客户评价：满意度 {{csat}}/5（{{via}}）',
    surveyNps: '推荐意愿 {{nps}}/10',
    surveyComment: '附有留言（见满意度调查）',
    surveyLow: '低分：{{items}}',
    surveyVia: { sms: '短信回复', link: '调查页面' },
    surveySep: '；',
  },
  apiError: {
    survey_not_found: '此调查链接无效',
    survey_already_answered: '此调查已提交过，感谢您的参与',
    survey_expired: '此调查链接已过期',
  },
};

const en: typeof zh = {
  survey: {
    title: 'How did we do?',
    intro: 'Your ticket {{number}} is resolved. Please take a minute to tell us how it went.',
    csat: 'Overall, how satisfied are you with our service?',
    csatScale: '1 = very dissatisfied, 5 = very satisfied',
    nps: 'How likely are you to recommend us to friends and family?',
    npsScale: '0 = not at all likely, 10 = extremely likely',
    dimensions: 'In detail (optional)',
    dimension: {
      speed: 'Speed',
      quality: 'Quality of the fix',
      attitude: 'Attitude',
      convenience: 'Convenience',
    },
    comment: 'Anything else you would like to tell us? (optional)',
    submit: 'Send my rating',
    sending: 'Sending…',
    needCsat: 'Please choose an overall rating first',
    thanks: 'Thank you for your rating!',
    thanksText: 'We have your answer and will use it to improve our service.',
    answered: 'This survey was already answered',
    answeredText: 'The survey for ticket {{number}} has been answered; each link can be used once. Thank you!',
    expired: 'This survey link has expired',
    expiredText:
      'The survey for ticket {{number}} is past its answer window. If something is still wrong, sign in to the portal or call us.',
    invalid: 'Invalid link',
    invalidText: 'This survey link is not valid. Please check that the whole link from the message was opened.',
    validUntil: 'Open until {{when}}',
  },
  surveyPanel: {
    title: 'Satisfaction survey',
    status: { scheduled: 'Scheduled', sent: 'Sent', answered: 'Answered', expired: 'Expired', skipped: 'Not sent' },
    sendsAt: 'Goes out {{when}}',
    sentAt: 'Sent {{when}}, open until {{until}}',
    skip: {
      opted_out: 'The customer opted out of surveys',
      merged: 'The ticket was merged',
      regulator: 'Regulator-referred cases are not surveyed',
      frequency_cap: 'The customer had a survey recently (frequency cap)',
      no_contact: 'No contact to send it to',
    },
  },
  timeline: {
    surveyAnswered: 'Customer rated the service {{csat}}/5 ({{via}})',
    surveyNps: 'would recommend {{nps}}/10',
    surveyComment: 'left a comment (see the survey)',
    surveyLow: 'low: {{items}}',
    surveyVia: { sms: 'SMS reply', link: 'survey page' },
    surveySep: '; ',
  },
  apiError: {
    survey_not_found: 'This survey link is not valid',
    survey_already_answered: 'This survey was already answered; thank you',
    survey_expired: 'This survey link has expired',
  },
};

export const surveysText = { zh, en };
