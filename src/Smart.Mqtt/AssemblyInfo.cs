namespace Smart.Mqtt;
