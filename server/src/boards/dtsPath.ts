// Which board files are device trees (read by the DTS importer) rather than board JSON. Its own
// file so the VS Code client can ask without bundling the reader.
export const isDtsPath = (p: string): boolean => /\.(dts|dtsi)$/i.test(p);
