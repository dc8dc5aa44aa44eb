import type { SnippetPart } from '../../api/knowledge';

/** Text with the words the search matched marked (the server decides what matched: jieba words, synonyms). */
export function Highlighted({ parts }: { parts: SnippetPart[] }) {
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

export const plainOf = (parts: SnippetPart[]) => parts.map((p) => p.text).join('');
