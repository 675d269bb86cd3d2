// Directory suites take turns on the one DC (see acquireDc): a suite's setup may wait for another's to finish.
jest.setTimeout(600_000);
