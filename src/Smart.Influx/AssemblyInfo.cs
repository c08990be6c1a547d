namespace Smart.Influx;
