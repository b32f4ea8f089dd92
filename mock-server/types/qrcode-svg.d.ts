/** Types for qrcode-svg 1.1 (the package ships none): only what the Console's 2FA set-up uses. */
declare module 'qrcode-svg' {
  interface QRCodeOptions {
    content: string;
    padding?: number;
    width?: number;
    height?: number;
    color?: string;
    background?: string;
    ecl?: 'L' | 'M' | 'Q' | 'H';
    join?: boolean;
    pretty?: boolean;
    xmlDeclaration?: boolean;
    container?: 'svg' | 'svg-viewbox' | 'g' | 'none';
  }
  export default class QRCode {
    constructor(options: QRCodeOptions | string);
    svg(options?: { container?: QRCodeOptions['container'] }): string;
  }
}
