import {
  checkReply,
  compilePhrases,
  DEFAULT_PHRASES,
  screenCustomerWords,
  type PhraseEntry,
} from '../src/core/quality/phrases.js';
import { CHANNELS } from '../src/core/tickets/types.js';
import { segmentWords } from '../src/text/segmenter.js';
import { loopRate, printTable, SECONDS } from './harness.js';

// Realistic agent replies (15–60 characters, with and without greeting and closing) and customer messages.
const REPLIES = [
  '您好，您反映的宽带频繁掉线问题已经登记，装维师傅将在今天下午两点到四点上门检修光猫，请保持电话畅通，感谢您的来电。',
  '您好，经核实您本月账单中多扣的58元流量费属于系统计费错误，已为您办理退费，预计三个工作日内到账，还有其他可以帮您的吗？',
  '这个不归我管，你去营业厅问吧。',
  '您好，您所在小区的基站正在升级，预计明天恢复信号，给您带来的不便我们深表歉意，祝您生活愉快。',
  '您好，携号转网需要先结清欠费并解除合约，您的号码目前还有一个宽带融合套餐合约，到期时间是明年三月，感谢您的耐心。',
  '已为您重置端口，请重启路由器后再试。',
  '您好，您要求的套餐变更将于下月一日生效，新套餐月租79元，含30G流量和500分钟通话，感谢您的来电，再见。',
  '您好，关于您投诉的营业厅服务态度问题，我们已转交相关部门调查，将在48小时内给您答复，感谢您的耐心。',
];
const CUSTOMER = [
  '都两天了还没人来修宽带，再不修好我就去工信部投诉你们！',
  '本月话费多扣了58元，请尽快核实退费。',
  '我想开通多媒体短信功能，怎么收费？',
  '信号太差了，打电话老是断，你们到底管不管？我要找媒体曝光。',
];

// Words a contact centre's lists are made of, combined into 1,000 phrases of one to three words.
const PARTS = [
  '宽带',
  '光猫',
  '套餐',
  '资费',
  '话费',
  '流量',
  '账单',
  '扣费',
  '停机',
  '销户',
  '补卡',
  '信号',
  '基站',
  '营业厅',
  '上门',
  '维修',
  '投诉',
  '退费',
  '赔偿',
  '律师',
  '媒体',
  '曝光',
  '法院',
  '记者',
  '态度',
  '经理',
  '领导',
  '马上',
  '立刻',
  '必须',
  '不行',
  '没用',
  '垃圾',
  '骗子',
  '欺诈',
  '违规',
];

function thousandPhrases(): PhraseEntry[] {
  const entries: PhraseEntry[] = DEFAULT_PHRASES.map((p, i) => ({ ...p, id: `d${i}`, enabled: true }));
  const lists = ['risk', 'forbidden', 'required'] as const;
  for (let i = 0; entries.length < 1000; i++) {
    const a = PARTS[i % PARTS.length]!;
    const b = PARTS[Math.floor(i / PARTS.length) % PARTS.length]!;
    const c = i % 3 === 0 ? PARTS[(i * 7) % PARTS.length]! : '';
    const list = lists[i % 3]!;
    entries.push({
      id: `g${i}`,
      list,
      phrase: `${a}${b}${c}`,
      synonyms: i % 4 === 0 ? [`${b}${a}`] : [],
      slot: list === 'required' ? (i % 2 === 0 ? 'greeting' : 'closing') : null,
      channels: list === 'risk' ? [] : [CHANNELS[i % CHANNELS.length]!],
      raiseGrade: list === 'risk' && i % 5 === 0 ? 'major' : null,
      enabled: true,
    });
  }
  return entries;
}

/**
 * Phrase checks per second with 1,000 listed phrases, beside jieba segmentation alone in the same
 * run: what the check adds to the segmentation every message needs anyway.
 */
export async function phraseChecks() {
  const entries = thousandPhrases();
  const compiled = compilePhrases(entries, segmentWords);
  const segmented = REPLIES.map((r) => segmentWords(r));
  for (let i = 0; i < 2000; i++) segmentWords(REPLIES[i % REPLIES.length]!); // warm-up

  const segment = await loopRate(1, (_, i) => Promise.resolve(segmentWords(REPLIES[i % REPLIES.length]!)));
  const matchOnly = await loopRate(1, (_, i) =>
    Promise.resolve(checkReply(compiled, segmented[i % segmented.length]!, CHANNELS[i % CHANNELS.length]!)),
  );
  const replyCheck = await loopRate(1, (_, i) =>
    Promise.resolve(checkReply(compiled, segmentWords(REPLIES[i % REPLIES.length]!), CHANNELS[i % CHANNELS.length]!)),
  );
  const customerCheck = await loopRate(1, (_, i) =>
    Promise.resolve(screenCustomerWords(compiled, segmentWords(CUSTOMER[i % CUSTOMER.length]!))),
  );
  const compileStart = performance.now();
  compilePhrases(entries, segmentWords);
  const compileMs = performance.now() - compileStart;

  console.log(
    `${entries.length} listed phrases (${compiled.risk.entries.length} risk, ${compiled.required.entries.length} required, ${compiled.forbidden.entries.length} forbidden), ${SECONDS} s per measurement, replies of ${Math.min(...REPLIES.map((r) => r.length))}–${Math.max(...REPLIES.map((r) => r.length))} characters; compiling the lists takes ${compileMs.toFixed(1)} ms (once per change)`,
  );
  printTable([
    { measurement: 'jieba segmentation alone (baseline)', 'per second': segment, 'ratio to baseline': 1 },
    {
      measurement: 'reply check on segmented words (matching only)',
      'per second': matchOnly,
      'ratio to baseline': matchOnly / segment,
    },
    {
      measurement: 'reply check: segmentation + required/forbidden',
      'per second': replyCheck,
      'ratio to baseline': replyCheck / segment,
    },
    {
      measurement: 'customer message: segmentation + risk words',
      'per second': customerCheck,
      'ratio to baseline': customerCheck / segment,
    },
  ]);
}
