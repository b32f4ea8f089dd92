/** The extension's `sendMessage`: the contract's typed sender over `chrome.runtime` (popup and content scripts). */
import { createSendMessage, type SendMessage } from '../../contract/messages';

export const sendMessage: SendMessage = createSendMessage((message) => chrome.runtime.sendMessage(message));
