// Problems raised in satisfaction surveys, tracked to their close (issue 13): the list, its actions
// and the timeline's sentences. Same keys in both languages.

const zh = {
  surveyProblems: {
    title: '调查问题跟踪',
    intro: '客户在满意度调查中反映的问题（低分维度，或低分并留言），须 24 小时内首次处理、48 小时内解决并关闭。',
    filter: '按状态筛选',
    filters: { active: '未关闭', open: '待处理', handling: '处理中', closed: '已关闭', all: '全部' },
    status: { open: '待处理', handling: '处理中', closed: '已关闭' },
    topic: {
      speed: '响应速度',
      quality: '处理质量',
      attitude: '服务态度',
      convenience: '办理便捷',
      comment: '客户留言',
    },
    respondBy: '首次处理时限',
    resolveBy: '解决时限',
    doneAt: '完成于 {{at}}',
    late: '已超时',
    handler: '处理人：{{name}}',
    resolution: '处理结果：{{text}}',
    action: '操作',
    handle: '记录处理',
    close: '关闭问题',
    notePlaceholder: '正在采取的措施',
    resolutionPlaceholder: '最终处理结果',
    save: '保存',
    empty: '暂无调查问题',
  },
  timeline: {
    surveyProblem: {
      opened: '客户调查反映问题（{{topics}}），已建立跟踪：{{respond}} 前首次处理，{{resolve}} 前解决',
      handled: '{{who}} 开始处理调查反映的问题',
      closed: '{{who}} 关闭调查反映的问题',
    },
  },
  apiError: { survey_problem_closed: '该问题已关闭' },
};

const en: typeof zh = {
  surveyProblems: {
    title: 'Survey problems',
    intro:
      'Problems customers raise in surveys (a low dimension, or a comment with a low score): first handled within 24 hours, resolved and closed within 48.',
    filter: 'Filter by state',
    filters: { active: 'Not closed', open: 'Open', handling: 'Being handled', closed: 'Closed', all: 'All' },
    status: { open: 'Open', handling: 'Being handled', closed: 'Closed' },
    topic: { speed: 'Speed', quality: 'Quality', attitude: 'Attitude', convenience: 'Convenience', comment: 'Comment' },
    respondBy: 'First handling due',
    resolveBy: 'Resolution due',
    doneAt: 'done {{at}}',
    late: 'late',
    handler: 'Handled by {{name}}',
    resolution: 'Resolution: {{text}}',
    action: 'Action',
    handle: 'Record handling',
    close: 'Close the problem',
    notePlaceholder: 'What is being done',
    resolutionPlaceholder: 'What was done about it',
    save: 'Save',
    empty: 'No survey problems',
  },
  timeline: {
    surveyProblem: {
      opened:
        'The customer raised a problem in the survey ({{topics}}); tracked: first handling by {{respond}}, resolution by {{resolve}}',
      handled: '{{who}} started handling the problem raised in the survey',
      closed: '{{who}} closed the problem raised in the survey',
    },
  },
  apiError: { survey_problem_closed: 'This problem is already closed' },
};

export const surveyProblemsText = { zh, en };
