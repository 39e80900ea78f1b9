/**
 * The size an SVG document declares.
 *
 * @module
 */

/** The width and height on the root `<svg>` element, in pixels. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error("The chart's SVG declares no width and height");
  return { width, height };
}
