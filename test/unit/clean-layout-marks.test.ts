import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPageText } from '../../ingest/clean.ts';

// What reading order writes for a page: ideographic indents on paragraph openings, blank lines between blocks.
const PAGE = [
  '\u3000\u3000大武口区政协把文史资料征集作为经常性工作，组织委员撰写',
  '亲历、亲见、亲闻的回忆文章。',
  '\u3000\u30002024 年 9 月 20 日，区政协召开文史资料工作座谈会，邀请专',
  '家开展专题培训。',
  '',
  '2024年9月13日，大武口区委书记汤瑞（右三）调研重点提案办理情况。',
].join('\n');

test('a paragraph opened by an indented line is body text even when it starts with a date', () => {
  const clean = cleanPageText(PAGE);
  assert.deepEqual(clean.body.split('\n'), [
    '大武口区政协把文史资料征集作为经常性工作，组织委员撰写亲历、亲见、亲闻的回忆文章。',
    '2024年9月20日，区政协召开文史资料工作座谈会，邀请专家开展专题培训。',
  ]);
  assert.deepEqual(clean.captions, ['2024年9月13日，大武口区委书记汤瑞（右三）调研重点提案办理情况。']);
});
