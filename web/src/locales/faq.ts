// The portal's FAQ and the suggestions while a customer writes a request. Same keys in both languages.

const zh = {
  faq: {
    title: '常见问题',
    search: '搜索常见问题（如：查询话费余额）',
    searchButton: '搜索',
    all: '全部',
    empty: '没有找到相关问题，您可以直接提交问题给我们。',
    back: '返回常见问题',
    helpful: '这篇文章对您有帮助吗？',
    yes: '有帮助',
    no: '没帮助',
    thanks: '感谢您的反馈！',
    suggested: '这些文章也许能解决您的问题：',
    close: '收起',
  },
};

const en: typeof zh = {
  faq: {
    title: 'Frequently asked questions',
    search: 'Search the FAQ (e.g. check my balance)',
    searchButton: 'Search',
    all: 'All',
    empty: 'Nothing found; you can send us your question directly.',
    back: 'Back to the FAQ',
    helpful: 'Was this helpful?',
    yes: 'Yes',
    no: 'No',
    thanks: 'Thank you for your feedback!',
    suggested: 'These articles may answer your question:',
    close: 'Close',
  },
};

export const faqText = { zh, en };
