// The one typed mock PCF context every control test (and the screenshot harness) uses.
// Parameters are typed by the control's generated IInputs; webAPI is the in-memory one;
// navigation and notifications are recorded rather than mocked per test.
import { InMemoryWebApi } from './in-memory-webapi';

export interface MockOptions<TInputs> {
  parameters: TInputs;
  strings?: Record<string, string>;
  webAPI?: InMemoryWebApi;
  userId?: string;
  userName?: string;
  languageId?: number;
  width?: number;
  height?: number;
  theme?: ComponentFramework.FluentDesignState;
  /** Record id of the hosting form (context.mode.contextInfo.entityId). */
  formRecordId?: string;
}

export interface MockContext<TInputs> {
  context: ComponentFramework.Context<TInputs>;
  webAPI: InMemoryWebApi;
  opened: ComponentFramework.NavigationApi.EntityFormOptions[];
  outputsNotified: number;
  notifyOutputChanged: () => void;
  /** Replace parameters (as the host does before updateView) and list them as updated. */
  setParameters(next: Partial<TInputs>): void;
}

/** A bound or input property as the host hands it over. */
export function prop<R>(raw: R, type = 'SingleLine.Text'): ComponentFramework.PropertyTypes.Property & { raw: R } {
  return { raw, formatted: raw === null || raw === undefined ? '' : String(raw), error: false, errorMessage: '', type };
}

function unsupported(name: string): never {
  throw new Error(`mock context: ${name} is not available in tests`);
}

export function createMockContext<TInputs>(options: MockOptions<TInputs>): MockContext<TInputs> {
  const webAPI = options.webAPI ?? new InMemoryWebApi();
  const strings = options.strings ?? {};
  const opened: ComponentFramework.NavigationApi.EntityFormOptions[] = [];
  const userId = options.userId ?? '11111111-1111-4111-8111-111111111111';

  const mode = {
    allocatedHeight: options.height ?? 600,
    allocatedWidth: options.width ?? 480,
    isControlDisabled: false,
    isVisible: true,
    label: '',
    setControlState: () => true,
    setFullScreen: () => undefined,
    trackContainerResize: () => undefined,
    // Undocumented but present on model-driven forms; the controls fall back to it.
    contextInfo: { entityId: options.formRecordId ?? '', entityTypeName: 'swb_conversation', entityRecordName: '' },
  } as unknown as ComponentFramework.Mode;

  const context = {
    parameters: options.parameters,
    updatedProperties: [] as string[],
    webAPI,
    mode,
    fluentDesignLanguage: options.theme,
    resources: {
      getString: (id: string) => strings[id] ?? id,
      getResource: (_id: string, _ok: (data: string) => void, failure: () => void) => failure(),
    },
    userSettings: {
      userId: `{${userId.toUpperCase()}}`,
      userName: options.userName ?? 'Avery Agent',
      languageId: options.languageId ?? 1033,
      isRTL: false,
      securityRoles: [],
      dateFormattingInfo: {} as ComponentFramework.UserSettingApi.DateFormattingInfo,
      numberFormattingInfo: {} as ComponentFramework.UserSettingApi.NumberFormattingInfo,
      getTimeZoneOffsetMinutes: () => 0,
    },
    navigation: {
      openForm: async (o: ComponentFramework.NavigationApi.EntityFormOptions) => {
        opened.push(o);
        return { savedEntityReference: [] };
      },
      openUrl: () => undefined,
      openAlertDialog: async () => undefined,
      openConfirmDialog: async () => ({ confirmed: true }),
      openErrorDialog: async () => undefined,
      openFile: async () => undefined,
      openWebResource: () => undefined,
    },
    client: { disableScroll: false, getFormFactor: () => 1, getClient: () => 'Web', isOffline: () => false, isNetworkAvailable: () => true },
    device: new Proxy({}, { get: (_t, p) => () => unsupported(`device.${String(p)}`) }),
    factory: { getPopupService: () => unsupported('factory.getPopupService'), requestRender: () => undefined },
    formatting: new Proxy({}, { get: (_t, p) => () => unsupported(`formatting.${String(p)}`) }),
    utils: new Proxy({}, { get: (_t, p) => () => unsupported(`utils.${String(p)}`) }),
    events: {},
    copilot: {},
  } as unknown as ComponentFramework.Context<TInputs>;

  const mock: MockContext<TInputs> = {
    context,
    webAPI,
    opened,
    outputsNotified: 0,
    notifyOutputChanged: () => {
      mock.outputsNotified++;
    },
    setParameters(next) {
      context.parameters = { ...context.parameters, ...next };
      (context as { updatedProperties: string[] }).updatedProperties = Object.keys(next);
    },
  };
  return mock;
}
