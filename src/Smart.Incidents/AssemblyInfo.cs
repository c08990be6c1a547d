namespace Smart.Incidents;
