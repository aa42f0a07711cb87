import { useEffect, useState } from 'react';
import { addFolderFiles, readDrop } from '../intake/folders';
import { routeFiles } from '../intake/route-files';
import { photoQueue } from '../photos';

/** Photos go to the gallery; a video opens as the live source (by content: see route-files). */
const route = (files: File[]) => void routeFiles(files, 'drop');

/** Drag-and-drop anywhere on the page and paste from the clipboard; returns whether a drag is over the page. */
export function useDropAndPaste(): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      // A drop zone inside the page (the model import) took these files already.
      const claimed = event.defaultPrevented;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      if (!claimed && event.dataTransfer) void readDrop(event.dataTransfer).then(({ files, folders }) => (folders ? addFolderFiles(files, photoQueue) : route(files)));
    };
    const onPaste = (event: ClipboardEvent) => {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (files.length === 0) return;
      event.preventDefault();
      route(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('paste', onPaste);
    };
  }, []);
  return dragging;
}
