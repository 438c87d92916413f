// Pictures to take home: a white card with a title, a figure drawn by its owner, and a key
// below; saved as a PNG file with canvas.toBlob.

export const FONT = "system-ui, 'Noto Sans KR', sans-serif";

/**
 * A canvas holding `title`, then the figure (`width` × `height` CSS pixels, drawn by
 * `drawFigure(ctx, x, y)`), then `keyHeight` pixels for `drawKey(ctx, x, y, width)`; at `scale`.
 */
export function card({ title, width, height, keyHeight, scale, drawFigure, drawKey }) {
  const pad = 16;
  const titleHeight = 30;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round((width + 2 * pad) * scale);
  canvas.height = Math.round((titleHeight + height + keyHeight + 2 * pad) * scale);
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#111827";
  ctx.font = `600 17px ${FONT}`;
  ctx.textBaseline = "top";
  ctx.fillText(title, pad, pad);
  drawFigure(ctx, pad, pad + titleHeight);
  ctx.textBaseline = "middle";
  ctx.font = `13px ${FONT}`;
  drawKey(ctx, pad, pad + titleHeight + height, width);
  return canvas;
}

/** Offer `canvas` as a PNG download named `filename`. */
export function savePng(canvas, filename) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error("the picture could not be encoded"));
        return;
      }
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoke later: the download starts asynchronously and needs the URL until then.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      resolve();
    }, "image/png");
  });
}
