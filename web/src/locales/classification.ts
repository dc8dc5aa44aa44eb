// Classification suggestions (issue 15): the hint on the new-ticket form and the ticket page, and
// the timeline's sentence when a channel ticket took one. Same keys in both languages.

const zh = {
  classify: {
    suggested: '建议分类：',
    confidence: '把握 {{value}}',
    accept: '采用建议',
    accepted: '已采用',
    cues: '依据词：{{words}}',
    sep: '、',
    similar_one: '相似的已解决工单 {{count}} 张',
    similar_other: '相似的已解决工单 {{count}} 张',
    others: '其他可能：',
  },
  admin: {
    categories: {
      keywords: '提示词',
      keywordsHint: '用顿号或逗号分隔；工单内容含这些词时建议此分类（与相似的已解决工单一起判断）',
    },
  },
  timeline: {
    classificationSuggested:
      '系统按内容自动分类为 {{type}} · {{category}} · {{grade}}（把握 {{confidence}}，依据词：{{cues}}），请坐席确认或更正',
  },
};

const en: typeof zh = {
  classify: {
    suggested: 'Suggested:',
    confidence: '{{value}} sure',
    accept: 'Accept',
    accepted: 'Accepted',
    cues: 'Cue words: {{words}}',
    sep: ', ',
    similar_one: '{{count}} similar resolved ticket',
    similar_other: '{{count}} similar resolved tickets',
    others: 'Or:',
  },
  admin: {
    categories: {
      keywords: 'Cue words',
      keywordsHint:
        'Separated by commas; a ticket whose text has these words gets this category suggested (together with similar resolved tickets)',
    },
  },
  timeline: {
    classificationSuggested:
      'Classified from its words as {{type}} · {{category}} · {{grade}} ({{confidence}} sure; cue words: {{cues}}); the agent confirms or corrects it',
  },
};

export const classificationText = { zh, en };
