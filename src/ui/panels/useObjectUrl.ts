// An object URL for `data` (a Blob), revoked when the data changes or the component goes away;
// for download links (the page makes no network request: the URL is local to the page).
import { useEffect, useState } from 'react';

export function useObjectUrl(data: string | Uint8Array | null, type: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (data === null) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(new Blob([data as BlobPart], { type }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [data, type]);
  return url;
}
