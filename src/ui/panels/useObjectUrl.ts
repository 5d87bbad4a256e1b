// An object URL for `text` (a Blob), revoked when the text changes or the component goes away;
// for download links (the page makes no network request: the URL is local to the page).
import { useEffect, useState } from 'react';

export function useObjectUrl(text: string | null, type: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (text === null) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(new Blob([text], { type }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [text, type]);
  return url;
}
