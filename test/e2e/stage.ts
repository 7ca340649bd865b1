import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from '../integration/harness';
import { CONNECTOR_FIELDS } from '../integration/scenario';
import { launchBrowser, type TestBrowser } from './browser';

export interface Stage {
  fake: FakeMicrosoft;
  gateway: GatewayProcess;
  browser: TestBrowser;
}

/**
 * One fake Microsoft, one gateway and one Chromium for a test file, started before its tests and
 * stopped after them. Each test starts from the fake's default consent answer; tests make their
 * own connectors, so they pass in any order.
 */
export function useStage(): Stage {
  const stage = {} as Stage;
  jest.setTimeout(90_000);
  beforeAll(async () => {
    stage.fake = await startFakeMicrosoft();
    stage.gateway = await startGateway(await gatewaySettings(stage.fake));
    stage.browser = await launchBrowser();
  });
  afterAll(async () => {
    await stage.browser?.close();
    await stage.gateway?.stop();
    await stage.fake?.stop();
  });
  beforeEach(() => stage.fake.setConsentAnswer(null));
  return stage;
}

/** updateConnector through the API, for what a test does not do in the browser. */
export async function updateConnector(gateway: GatewayProcess, id: string, input: Record<string, unknown>) {
  const result = await gateway.gql(
    `mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { ${CONNECTOR_FIELDS} } }`,
    { id, input },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.updateConnector;
}
