import { useEffect, useState } from 'react';

// "The customer is typing": the desk's live stream says so per conversation; the open chat shows
// it for a few seconds after the last signal (or until the customer's message arrives).

const TYPING_MS = 6000;
const listeners = new Set<(conversationId: string) => void>();

export function customerTyping(conversationId: string): void {
  for (const l of listeners) l(conversationId);
}

export function useCustomerTyping(conversationId: string, lastCustomerSeq: number): boolean {
  const [typing, setTyping] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const on = (id: string) => {
      if (id !== conversationId) return;
      setTyping(true);
      clearTimeout(timer);
      timer = setTimeout(() => setTyping(false), TYPING_MS);
    };
    listeners.add(on);
    return () => {
      listeners.delete(on);
      clearTimeout(timer);
    };
  }, [conversationId]);
  // A new message from the customer ends the typing.
  useEffect(() => {
    setTyping(false);
  }, [lastCustomerSeq]);
  return typing;
}
