/** The password rule every new password of the world follows (Twilio login, Segment, SendGrid). */
export const MIN_PASSWORD_LENGTH = 12;
